// Entry point of a trial process when no built CLI is at hand (tests run it through tsx).
import { serveTrialsOverStdio } from './local-worker.js';

await serveTrialsOverStdio();

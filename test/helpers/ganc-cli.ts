// Test helper: the ganc CLI from the TypeScript sources (run with `node --import tsx`), for child processes.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);

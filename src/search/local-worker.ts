// The trial process: `ganc worker --local` (or local-worker-main.ts) reads one request per line on
// stdin and answers each with one result line on stdout. Everything else a library prints goes to
// stderr, so stdout carries only the protocol.
import { createInterface } from 'node:readline';
import type { BackendName } from '../runtime/backend.js';
import type { DataPolicy } from './data-root.js';
import { runTrial } from './run-trial.js';
import type { Trial } from './trial.js';

export interface TrialRequest {
  trial: Trial;
  outRoot: string;
  backend?: BackendName;
  /** Set by a queue worker: the data root its jobs are confined to. */
  dataPolicy?: DataPolicy;
}

/** Marks protocol lines, so a stray line on stdout is never mistaken for a result. */
export const RESULT_PREFIX = '@@ganc-trial-result ';

export async function serveTrialsOverStdio(): Promise<void> {
  console.log = console.error;
  console.info = console.error;
  const parent = process.ppid;
  // Training blocks the event loop, so the parent's death is checked between steps: a trial whose
  // coordinator or queue worker was killed stops instead of training on as an orphan.
  const stopIfOrphaned = (): void => {
    if (process.ppid !== parent) process.exit(1);
  };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line) as TrialRequest;
    const result = await runTrial(request.trial, {
      outRoot: request.outRoot, backend: request.backend, dataPolicy: request.dataPolicy, onStep: stopIfOrphaned,
    });
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  }
}

// `--workers N`: trials in N child processes on this machine, each training one trial at a time.
// A child that dies mid-trial is replaced and its trial retried, up to MAX_ATTEMPTS times in all.
import { availableParallelism } from 'node:os';
import type { BackendName } from '../runtime/backend.js';
import { escapeControl } from '../sanitize.js';
import type { TrialExecutor } from './executor.js';
import { workerName } from './run-trial.js';
import { TrialProcess } from './trial-process.js';
import { failedResult, type Trial, type TrialResult } from './trial.js';

export const MAX_ATTEMPTS = 3;

export class LocalProcessExecutor implements TrialExecutor {
  private readonly processes: TrialProcess[];

  constructor(workers: number, private readonly outRoot: string, private readonly backend?: BackendName) {
    const env = threadLimits(workers);
    this.processes = Array.from({ length: workers }, () => new TrialProcess((line) => process.stderr.write(`${escapeControl(line)}\n`), env));
  }

  get description(): string {
    return `${this.processes.length} worker processes on this machine`;
  }

  async runAll(trials: Trial[], onResult: (result: TrialResult) => void): Promise<void> {
    const queue = trials.map((trial) => ({ trial, attempts: 0 }));
    const serve = async (proc: TrialProcess): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        next.attempts++;
        try {
          onResult(await proc.run({ trial: next.trial, outRoot: this.outRoot, backend: this.backend }));
        } catch (e) {
          if (next.attempts < MAX_ATTEMPTS) queue.push(next);
          else onResult(failedResult(next.trial, (e as Error).message, workerName()));
        }
      }
    };
    await Promise.all(this.processes.map(serve));
  }

  async close(): Promise<void> {
    for (const p of this.processes) p.stop();
  }
}

/**
 * Each process's kernels would otherwise start a thread per core, and N processes would fight over
 * the cores: each gets its share (ganc's thread pool and OpenBLAS), unless the user chose already.
 */
function threadLimits(workers: number): Record<string, string> {
  const share = String(Math.max(1, Math.floor(availableParallelism() / workers)));
  return { GANC_THREADS: process.env.GANC_THREADS ?? share, OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? share };
}

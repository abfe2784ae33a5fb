// `ganc worker --queue redis://HOST:PORT`: takes trial jobs off the queue one at a time and trains each
// in a child trial process, so this process stays responsive and keeps renewing the job's lock however
// long a step takes. When a worker dies mid-trial its lock expires, another worker's stalled-job check
// puts the job back on the queue, and it is trained again from the start.
//
// A job is outside input (docs/security.md): before anything runs, it must be a valid job document
// (job.ts), signed when this worker has a secret, its spec must check with this worker's own checker,
// and its data folder must lie in this worker's data root. A job that is not is refused: it fails at
// once, without retries, with the reason as its failedReason (which the coordinator shows), and the
// worker goes on to the next job. Runs and the decoded-data cache go under --out and nowhere else.
import { join, resolve } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import type { BackendName } from '../runtime/backend.js';
import { escapeControl } from '../sanitize.js';
import { checkSpecText } from './check-spec.js';
import { confineData, type DataPolicy } from './data-root.js';
import { boundedError, checkJob, jobSecret, type TrialJob } from './job.js';
import { DEFAULT_QUEUE_NAME, type QueueAddress } from './queue-connection.js';
import { workerName } from './run-trial.js';
import { TrialProcess } from './trial-process.js';
import { trialRunsDir, type Trial, type TrialResult } from './trial.js';

export interface QueueWorkerOptions {
  address: QueueAddress;
  queueName?: string;
  /** Where this machine keeps its runs: the only folder a job makes this worker write to. */
  outRoot: string;
  /** Where folder data may come from. */
  dataPolicy: DataPolicy;
  backend?: BackendName;
  /** How long a job's lock lasts without renewal: how soon a dead worker's trial is retried. */
  lockMs: number;
  /** Lines for the user (trial started / finished / refused); the worker escapes what they quote. */
  log: (line: string) => void;
}

/** The decoded-data cache of this worker's trials: inside --out, like everything else they write. */
export const CACHE_DIR = '.cache';

/**
 * The trial of a job this worker will train, or the reason it will not, on one line. Nothing is read
 * from disk but the data folder's path metadata, and nothing is written.
 */
export function admitJob(data: unknown, outRoot: string, policy: DataPolicy, secret: string | undefined): Trial {
  const check = checkJob(data, secret);
  if (!check.ok) throw new Error(check.reason);
  const { trial } = check.job;
  trialRunsDir(outRoot, trial.id);
  confineData(checkSpecText(trial.specText, trial.specFile), trial.specFile, policy);
  return trial;
}

/** Runs until SIGINT/SIGTERM; resolves after a clean shutdown. */
export async function runQueueWorker(opts: QueueWorkerOptions): Promise<void> {
  const outRoot = resolve(opts.outRoot);
  const secret = jobSecret();
  const log = (line: string): void => opts.log(opts.address.redact(escapeControl(line)));
  // The trial process's output is the training's own (progress, notices): shown, never raw.
  const trials = new TrialProcess((line) => process.stderr.write(`${escapeControl(line)}\n`), {
    XDG_CACHE_HOME: join(outRoot, CACHE_DIR),
  });
  const worker = new Worker<TrialJob, TrialResult>(opts.queueName ?? DEFAULT_QUEUE_NAME, async (job) => {
    let trial: Trial;
    try {
      trial = admitJob(job.data, outRoot, opts.dataPolicy, secret);
    } catch (e) {
      const reason = (e as Error).message.split('\n')[0];
      log(`refused job ${job.id ?? '?'}: ${reason}`);
      throw new UnrecoverableError(boundedError(escapeControl(`refused by worker ${workerName()}: ${reason}`)));
    }
    log(`started ${trial.id} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
    const result = await trials.run({ trial, outRoot, backend: opts.backend, dataPolicy: opts.dataPolicy });
    log(`finished ${trial.id} in ${result.seconds.toFixed(1)} s`);
    // The queue worker, not its short-lived trial process, is who a person looks for.
    return { ...result, error: result.error === null ? null : boundedError(result.error), worker: workerName() };
  }, {
    connection: opts.address.options,
    concurrency: 1,
    lockDuration: opts.lockMs,
    stalledInterval: Math.max(500, Math.round(opts.lockMs / 2)),
    maxStalledCount: 5,
  });
  // Redis being unreachable is reported on every retry; once per distinct message is enough.
  const reported = new Set<string>();
  worker.on('error', (e) => {
    if (!reported.has(e.message)) log(`queue error: ${e.message}`);
    reported.add(e.message);
  });
  await worker.waitUntilReady();
  const data = opts.dataPolicy.root === null ? 'no data folders' : `data folders under ${opts.dataPolicy.root}`;
  log(`worker ${workerName()} waiting for trials on ${opts.address.display} (runs in ${outRoot}; ${data}${secret === undefined ? '' : '; signed jobs only'})`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      trials.stop(true);
      void worker.close(true).then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

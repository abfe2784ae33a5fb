// `ganc worker --queue redis://HOST:PORT`: takes trial jobs off the queue one at a time and trains each
// in a child trial process, so this process stays responsive and keeps renewing the job's lock however
// long a step takes. When a worker dies mid-trial its lock expires, another worker's stalled-job check
// puts the job back on the queue, and it is trained again from the start.
import { Worker } from 'bullmq';
import type { BackendName } from '../runtime/backend.js';
import type { TrialJobData } from './executor-queue.js';
import { DEFAULT_QUEUE_NAME, redisConnection } from './queue-connection.js';
import { workerName } from './run-trial.js';
import { TrialProcess } from './trial-process.js';
import type { TrialResult } from './trial.js';

export interface QueueWorkerOptions {
  url: string;
  queueName?: string;
  /** Where this machine keeps its runs. */
  outRoot: string;
  backend?: BackendName;
  /** How long a job's lock lasts without renewal: how soon a dead worker's trial is retried. */
  lockMs: number;
  /** Lines for the user (trial started / finished). */
  log: (line: string) => void;
}

/** Runs until SIGINT/SIGTERM; resolves after a clean shutdown. */
export async function runQueueWorker(opts: QueueWorkerOptions): Promise<void> {
  const trials = new TrialProcess((line) => process.stderr.write(`${line}\n`));
  const worker = new Worker<TrialJobData, TrialResult>(opts.queueName ?? DEFAULT_QUEUE_NAME, async (job) => {
    opts.log(`started ${job.data.trial.id} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
    const result = await trials.run({ trial: job.data.trial, outRoot: opts.outRoot, backend: opts.backend });
    opts.log(`finished ${job.data.trial.id} in ${result.seconds.toFixed(1)} s`);
    // The queue worker, not its short-lived trial process, is who a person looks for.
    return { ...result, worker: workerName() };
  }, {
    connection: redisConnection(opts.url),
    concurrency: 1,
    lockDuration: opts.lockMs,
    stalledInterval: Math.max(500, Math.round(opts.lockMs / 2)),
    maxStalledCount: 5,
  });
  // Redis being unreachable is reported on every retry; once per distinct message is enough.
  const reported = new Set<string>();
  worker.on('error', (e) => {
    if (!reported.has(e.message)) opts.log(`queue error: ${e.message}`);
    reported.add(e.message);
  });
  await worker.waitUntilReady();
  opts.log(`worker ${workerName()} waiting for trials on ${opts.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      trials.stop(true);
      void worker.close(true).then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

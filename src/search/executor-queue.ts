// `--queue redis://HOST:PORT`: trials become BullMQ jobs that `ganc worker --queue` processes on any
// number of machines. A job's id is the search id and the trial id, so a trial is enqueued once even
// when a restarted coordinator enqueues it again, and a result finished while the coordinator was down
// is picked up rather than retrained. Results are read back from the jobs themselves.
import { Job, Queue } from 'bullmq';
import type { TrialExecutor } from './executor.js';
import { DEFAULT_QUEUE_NAME, redisConnection } from './queue-connection.js';
import { failedResult, type Trial, type TrialResult } from './trial.js';

/** A job is retried this many times in all when its processor throws (a killed worker is a stall, not an attempt). */
export const JOB_ATTEMPTS = 3;
const POLL_MS = 250;

export interface TrialJobData {
  trial: Trial;
}

export class QueueExecutor implements TrialExecutor {
  private readonly queue: Queue<TrialJobData, TrialResult>;

  constructor(private readonly url: string, private readonly searchId: string, queueName = DEFAULT_QUEUE_NAME) {
    this.queue = new Queue(queueName, { connection: redisConnection(url) });
  }

  get description(): string {
    return `job queue ${this.queue.name} on ${this.url}`;
  }

  private jobId(trial: Trial): string {
    return `${this.searchId}.${trial.id}`;
  }

  /** Adding a job whose id exists already does nothing: a trial is on the queue at most once. */
  private async enqueue(trial: Trial): Promise<void> {
    await this.queue.add('trial', { trial }, {
      jobId: this.jobId(trial), attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: false, removeOnFail: false,
    });
  }

  async runAll(trials: Trial[], onResult: (result: TrialResult) => void): Promise<void> {
    for (const trial of trials) await this.enqueue(trial);
    const outstanding = new Map(trials.map((t) => [this.jobId(t), t]));
    while (outstanding.size > 0) {
      for (const [id, trial] of outstanding) {
        const job = await Job.fromId<TrialJobData, TrialResult>(this.queue, id);
        // A job can vanish (Redis restarted without persistence, the queue emptied by hand): put it back.
        if (!job) {
          await this.enqueue(trial);
          continue;
        }
        const state = await job.getState();
        if (state === 'completed') {
          outstanding.delete(id);
          onResult(job.returnvalue);
        } else if (state === 'failed' && job.attemptsMade >= JOB_ATTEMPTS) {
          outstanding.delete(id);
          onResult(failedResult(trial, `job failed ${job.attemptsMade} times: ${job.failedReason}`, 'queue'));
        }
      }
      if (outstanding.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

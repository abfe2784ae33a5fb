// `--queue redis://HOST:PORT`: trials become BullMQ jobs that `ganc worker --queue` processes on any
// number of machines. A job's id is the search id and the trial id, so a trial is enqueued once even
// when a restarted coordinator enqueues it again, and a result finished while the coordinator was down
// is picked up rather than retrained. Results are read back from the jobs themselves, and checked:
// whatever a worker returns is outside input (job.ts).
import { Job, Queue } from 'bullmq';
import type { TrialExecutor } from './executor.js';
import { checkedResult, checkJob, jobSecret, makeJob, type TrialJob } from './job.js';
import { DEFAULT_QUEUE_NAME, type QueueAddress } from './queue-connection.js';
import { failedResult, type Trial, type TrialResult } from './trial.js';
import { UserError } from '../errors.js';

/** A job is retried this many times in all when its processor throws (a killed worker is a stall, not an attempt). */
export const JOB_ATTEMPTS = 3;
const POLL_MS = 250;

/** Kept for readers of older code: a job's data is a TrialJob document. */
export type TrialJobData = TrialJob;

export class QueueExecutor implements TrialExecutor {
  private readonly queue: Queue<TrialJob, unknown>;
  private readonly secret = jobSecret();

  constructor(private readonly address: QueueAddress, private readonly searchId: string, queueName = DEFAULT_QUEUE_NAME) {
    this.queue = new Queue(queueName, { connection: address.options });
  }

  get description(): string {
    return `job queue ${this.queue.name} on ${this.address.display}${this.secret === undefined ? '' : ' (jobs signed)'}`;
  }

  private jobId(trial: Trial): string {
    return `${this.searchId}.${trial.id}`;
  }

  /** Adding a job whose id exists already does nothing: a trial is on the queue at most once. */
  private async enqueue(trial: Trial): Promise<void> {
    const job = makeJob(this.searchId, trial, this.secret);
    // The coordinator's own jobs must pass the workers' checks; one that would not is refused here, by name.
    const check = checkJob(job, this.secret);
    if (!check.ok) throw new UserError(`trial ${trial.id}: workers would refuse its job: ${check.reason}`);
    await this.queue.add('trial', job, {
      jobId: this.jobId(trial), attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: false, removeOnFail: false,
    });
  }

  /**
   * The trial's result if its job has finished, else undefined. The state is read first and the job
   * second: 'completed' and 'failed' are final, so the job read afterwards holds that outcome (reading
   * the job first, a job finishing between the two reads came back completed with no return value).
   */
  private async finished(trial: Trial): Promise<TrialResult | 'missing' | undefined> {
    const id = this.jobId(trial);
    const state = await this.queue.getJobState(id);
    // A job can vanish (Redis restarted without persistence, the queue emptied by hand): put it back.
    if (state === 'unknown') return 'missing';
    if (state !== 'completed' && state !== 'failed') return undefined;
    const failed = (why: string): TrialResult => failedResult(trial, why, 'queue');
    let job: Job<TrialJob, unknown> | undefined;
    try {
      job = await Job.fromId<TrialJob, unknown>(this.queue, id);
    } catch (e) {
      // Its stored fields are not JSON: written by something other than BullMQ.
      return failed(`job ${id} is unreadable (${(e as Error).message})`);
    }
    if (!job) return 'missing';
    if (state === 'completed') return checkedResult(job.returnvalue, trial, failed);
    // Failed for good: attempts used up, refused by a worker (no retry), or stalled too often.
    const attempts = `${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}`;
    return failed(`job failed after ${attempts}: ${job.failedReason ?? 'no reason given'}`);
  }

  async runAll(trials: Trial[], onResult: (result: TrialResult) => void): Promise<void> {
    for (const trial of trials) await this.enqueue(trial);
    const outstanding = new Map(trials.map((t) => [t.id, t]));
    while (outstanding.size > 0) {
      for (const [id, trial] of outstanding) {
        const outcome = await this.finished(trial);
        if (outcome === 'missing') {
          await this.enqueue(trial);
        } else if (outcome !== undefined) {
          outstanding.delete(id);
          onResult(outcome);
        }
      }
      if (outstanding.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

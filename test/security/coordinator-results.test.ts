// The coordinator reads back what workers left on a real queue, and a worker is outside input too: a
// completed job with no return value (what reading a job before its state gave when the job finished
// between the two reads), with garbage, or with the result of another trial becomes a failed result
// that says why, never a crash; a job refused without retries is final at once (the coordinator used to
// wait for three attempts that never came); a job whose stored data is not JSON is reported, not thrown.
// The workers here are BullMQ workers in this process, answering as a broken or hostile worker would.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server); in CI (CI set) it always runs.
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueExecutor } from '../../src/search/executor-queue.js';
import type { TrialJob } from '../../src/search/job.js';
import { queueAddress, type QueueAddress } from '../../src/search/queue-connection.js';
import type { Trial, TrialResult } from '../../src/search/trial.js';
import { haveRedisServer, startRedisServer, type RedisServer } from '../search/redis-server.js';
import { TINY_RING8, trialOf, waitForAsync } from './helpers.js';

const skip = !haveRedisServer() && !process.env.CI;

const resultOf = (t: Trial): TrialResult => ({
  trialId: t.id, variantId: t.variantId, rung: t.rung, steps: t.steps, seed: t.seed, quality: { modes: 8, hq_share: 0.9 },
  diverged: null, error: null, runDir: `/remote/${t.id}/run`, worker: 'remote:42', seconds: 0.5,
});

/** What the hostile worker answers, by variant id. */
function answer(t: Trial): unknown {
  switch (t.variantId) {
    case 'fine': return resultOf(t);
    case 'nothing': return null;
    case 'garbage': return { hello: 'world' };
    case 'other': return resultOf({ ...t, id: 'fine.s5.seed0', variantId: 'fine' });
    case 'refused': throw new UnrecoverableError('refused by worker remote:42: not today');
    default: throw new Error(`unexpected trial ${t.id}`);
  }
}

describe.skipIf(skip)('results read back from the queue', () => {
  let redis: RedisServer;
  let address: QueueAddress;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    address = queueAddress(redis.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const serve = (queueName: string): Worker => {
    const worker = new Worker<TrialJob>(queueName, async (job) => answer(job.data.trial), { connection: address.options, concurrency: 1 });
    cleanups.push(() => worker.close(true));
    return worker;
  };

  it('become failed results that say why; none crashes or stalls the coordinator', async () => {
    serve('hostile');
    const executor = new QueueExecutor(address, 'race0001', 'hostile');
    cleanups.push(() => executor.close());
    const trials = ['fine', 'nothing', 'garbage', 'other', 'refused'].map((v) => trialOf(TINY_RING8, '/specs/tiny.gan', { variantId: v }));
    const results: TrialResult[] = [];
    await executor.runAll(trials, (r) => results.push(r));

    const byId = Object.fromEntries(results.map((r) => [r.variantId, r]));
    expect(results.map((r) => r.trialId).sort()).toEqual(trials.map((t) => t.id).sort());
    expect(byId.fine).toEqual(resultOf(trials[0]));
    expect(byId.nothing.error).toBe("the worker's result is invalid: / must be object");
    expect(byId.garbage.error).toMatch(/^the worker's result is invalid: \/ must have required property/);
    expect(byId.other.error).toBe("the worker's result is for another trial (trialId fine.s5.seed0)");
    expect(byId.refused.error).toBe('job failed after 1 attempt: refused by worker remote:42: not today');
    for (const r of [byId.nothing, byId.garbage, byId.other, byId.refused]) expect(r).toMatchObject({ quality: null, worker: 'queue' });
  });

  it('a finished job whose stored data was overwritten with something not JSON is reported, not thrown', async () => {
    serve('corrupt');
    const trial = trialOf(TINY_RING8, '/specs/tiny.gan', { variantId: 'fine' });
    const queue = new Queue('corrupt', { connection: address.options });
    cleanups.push(() => queue.close());
    const jobId = `race0002.${trial.id}`;
    await queue.add('trial', { version: 1, searchId: 'race0002', trial }, { jobId });
    await waitForAsync('the job', async () => ((await queue.getJobState(jobId)) === 'completed' ? true : undefined));
    const raw = new Redis(address.options as Record<string, unknown>);
    cleanups.push(async () => { raw.disconnect(); });
    await raw.hset(`bull:corrupt:${jobId}`, 'data', '{not json');

    const executor = new QueueExecutor(address, 'race0002', 'corrupt');
    cleanups.push(() => executor.close());
    const results: TrialResult[] = [];
    await executor.runAll([trial], (r) => results.push(r));
    expect(results).toHaveLength(1);
    expect(results[0].error).toMatch(new RegExp(`^job ${jobId.replaceAll('.', '\\.')} is unreadable \\(`));
  });
});

// Hand-made jobs on a real Redis, served by a real `ganc worker` process: every hostile job of issue 15
// (path traversal through the trial id, data folders outside the data root by every route, log
// injection, out-of-bounds numbers, a spec that does not check, a job that is not even JSON) is refused
// with a reason and without retries, the worker goes on serving, nothing is written outside --out and
// no image outside --data-root is decoded. A coordinator whose trials are refused shows why.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server); in CI (CI set) it always runs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJob, type TrialJob } from '../../src/search/job.js';
import { DEFAULT_QUEUE_NAME, redisConnection } from '../../src/search/queue-connection.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, waitFor, type CliProcess } from '../helpers/cli-processes.js';
import { runMain } from '../cli/in-process.js';
import { haveRedisServer, startRedisServer, type RedisServer } from '../search/redis-server.js';
import { folderSpec, RAW_CONTROL, snapshot, spawnGancWith, TINY_RING8, trialOf, waitForAsync, writeImageFolder } from './helpers.js';

const skip = !haveRedisServer() && !process.env.CI;

describe.skipIf(skip)('a queue worker and hand-made jobs', () => {
  let redis: RedisServer;
  let queue: Queue;
  let worker: CliProcess;
  let root: string;
  const dirs = { home: '', cache: '', cwd: '', out: '', data: '', outside: '' };
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    queue = new Queue(DEFAULT_QUEUE_NAME, { connection: redisConnection(redis.url) });
    cleanups.push(() => queue.close());
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-trust-')));
    for (const name of Object.keys(dirs) as (keyof typeof dirs)[]) {
      dirs[name] = join(root, name);
      mkdirSync(dirs[name]);
    }
    writeImageFolder(join(dirs.data, 'shapes'));
    writeImageFolder(join(dirs.outside, 'secret'));
    symlinkSync(join(dirs.outside, 'secret'), join(dirs.data, 'escape'));
    writeImageFolder(join(dirs.data, 'mixed'));
    symlinkSync(join(dirs.outside, 'secret', '0.png'), join(dirs.data, 'mixed', 'leak.png'));
    // Home, the default cache and the working folder are in the sandbox: a write to any of them shows.
    worker = spawnGancWith(['worker', '--queue', redis.url, '--out', dirs.out, '--data-root', dirs.data, '--lock-ms', '2000'], {
      env: { HOME: dirs.home, XDG_CACHE_HOME: dirs.cache }, cwd: dirs.cwd,
    });
    cleanups.push(async () => { worker.child.kill('SIGKILL'); await exited(worker.child); });
    await waitFor('the worker', () => worker.lines.some((l) => l.includes('waiting for trials')));
  }, PROCESS_TEST_TIMEOUT_MS);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  const push = (jobId: string, data: unknown) => queue.add('trial', data as TrialJob, { jobId, attempts: 3, removeOnComplete: false, removeOnFail: false });
  const finalState = (jobId: string) => waitForAsync(`job ${JSON.stringify(jobId)} to finish`, async () => {
    const state = await queue.getJobState(jobId);
    return state === 'completed' || state === 'failed' ? state : undefined;
  });
  const job = (trial: ReturnType<typeof trialOf>) => JSON.parse(JSON.stringify(makeJob('hand1234', trial))) as Record<string, any>;

  it('refuses every hostile job with its reason, writes only under --out, reads only under --data-root, and keeps serving', async () => {
    const before = snapshot(root, ['out']);
    const inData = join(dirs.data, 'spec.gan');
    const escapeTarget = join(root, 'ESCAPED');
    const good = (variantId: string, spec = TINY_RING8, specFile = join(root, 'specs', 'tiny.gan')) => job(trialOf(spec, specFile, { variantId }));
    const bad: [string, unknown, RegExp][] = [
      ['traversal', { ...good('v001'), trial: { ...good('v001').trial, id: `${'../'.repeat(12)}${escapeTarget.slice(1)}` } }, /\/trial\/id must match pattern/],
      ['newline-id', { ...good('v001'), trial: { ...good('v001').trial, id: 'v001.s5.seed0\nfinished fake-trial in 0.1 s\x1b[31m' } }, /\/trial\/id must match pattern/],
      ['folder-absolute', good('v002', folderSpec(join(dirs.outside, 'secret')), inData), /is outside this worker's data root/],
      ['folder-etc', good('v003', folderSpec('/etc'), inData), /is outside this worker's data root/],
      ['folder-climbing', good('v004', folderSpec('../outside/secret'), inData), /is outside this worker's data root/],
      ['folder-dot-specfile', good('v005', folderSpec('.'), join(dirs.outside, 'secret', 'passwd')), /is outside this worker's data root/],
      ['folder-symlink', good('v006', folderSpec('escape'), inData), /is outside this worker's data root/],
      ['folder-inner-link', good('v014', folderSpec('mixed'), inData), /: leak\.png leads outside this worker's data root/],
      ['steps-negative', { ...good('v007'), trial: { ...good('v007').trial, steps: -5 } }, /\/trial\/steps must be >= 1/],
      ['steps-text', { ...good('v008'), trial: { ...good('v008').trial, steps: 'abc' } }, /\/trial\/steps must be integer/],
      ['seed-fraction', { ...good('v009'), trial: { ...good('v009').trial, seed: 1.5 } }, /\/trial\/seed must be integer/],
      ['eval-samples', { ...good('v010'), trial: { ...good('v010').trial, evalSamples: 2e8 } }, /\/trial\/evalSamples must be <= 50000/],
      ['batch', { ...good('v011'), trial: { ...good('v011').trial, batch: 1e9 } }, /\/trial\/batch must be <= 4096/],
      ['version', { ...good('v012'), version: 2 }, /\/version must be equal to constant/],
      ['unchecked-spec', good('v013', 'gan broken\n', join(root, 'specs', 'broken.gan')), /broken\.gan:\d+:\d+: /],
    ];
    // A job id that tries to forge a log line of its own.
    const forgedId = 'bad\nfinished fake-trial in 0.1 s\x1b[2J';
    await push(forgedId, { nonsense: true });
    for (const [id, data] of bad) await push(id, data);
    await push('good-ring8', good('good1'));
    await push('good-folder', good('good2', folderSpec('shapes'), inData));

    expect(await finalState(forgedId)).toBe('failed');
    for (const [id, , reason] of bad) {
      expect(await finalState(id), id).toBe('failed');
      const refused = (await Job.fromId(queue, id))!;
      expect(refused.failedReason, id).toMatch(/^refused by worker \S+: /);
      expect(refused.failedReason, id).toMatch(reason);
      expect(refused.failedReason, id).not.toMatch(RAW_CONTROL);
      // Refused for good: no second attempt of a job that can never be valid.
      expect(refused.attemptsMade, id).toBe(1);
    }
    for (const id of ['good-ring8', 'good-folder']) {
      expect(await finalState(id), id).toBe('completed');
      expect((await Job.fromId(queue, id))!.returnvalue).toMatchObject({ error: null, diverged: null, quality: expect.any(Object) });
    }

    // Still serving after all of that, and after a job whose stored data is not JSON at all.
    const raw = new Redis(redisConnection(redis.url) as Record<string, unknown>);
    cleanups.push(async () => { raw.disconnect(); });
    await raw.hset(`bull:${DEFAULT_QUEUE_NAME}:not-json`, 'name', 'trial', 'data', '{not json', 'opts', '{}', 'timestamp', String(Date.now()), 'delay', '0', 'priority', '0');
    await raw.lpush(`bull:${DEFAULT_QUEUE_NAME}:wait`, 'not-json');
    await push('good-after', good('good3'));
    expect(await finalState('good-after')).toBe('completed');
    expect(worker.child.exitCode).toBeNull();

    // Writes: the three good trials' folders and the data cache under --out; nothing else anywhere.
    expect(readdirSync(dirs.out).sort()).toEqual(['.cache', 'good1.s5.seed0', 'good2.s5.seed0', 'good3.s5.seed0']);
    expect(snapshot(root, ['out'])).toEqual(before);
    expect(existsSync(escapeTarget)).toBe(false);
    // Reads: decoding a folder leaves its cache entry; one folder was decoded, the one inside the root.
    expect(readdirSync(join(dirs.out, '.cache', 'ganc')).filter((f) => f.endsWith('.safetensors'))).toHaveLength(1);

    // The log: one escaped line per refusal, no forged line, no raw control character.
    expect(worker.lines.filter((l) => l.startsWith('refused job '))).toHaveLength(bad.length + 1);
    expect(worker.lines.some((l) => l.startsWith('finished fake'))).toBe(false);
    for (const line of worker.lines) expect(line).not.toMatch(RAW_CONTROL);
    expect(worker.lines.filter((l) => l.startsWith('refused job bad\\nfinished fake-trial in 0.1 s\\x1b[2J: not a version 1 job: '))).toHaveLength(1);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('a worker with GANC_JOB_SECRET runs only jobs signed with it', async () => {
    const secret = 'the coordinator and its workers share this';
    const signedWorker = spawnGancWith(['worker', '--queue', redis.url, '--queue-name', 'signed', '--out', join(root, 'signed-out')], {
      env: { GANC_JOB_SECRET: secret },
    });
    cleanups.push(async () => { signedWorker.child.kill('SIGKILL'); await exited(signedWorker.child); });
    await waitFor('the signing worker', () => signedWorker.lines.some((l) => l.includes('waiting for trials') && l.includes('signed jobs only')));
    const signedQueue = new Queue('signed', { connection: redisConnection(redis.url) });
    cleanups.push(() => signedQueue.close());
    const trial = trialOf(TINY_RING8, join(root, 'tiny.gan'));
    const cases: [string, TrialJob, string, RegExp | null][] = [
      ['unsigned', makeJob('sign0001', trial), 'failed', /^refused by worker \S+: unsigned job/],
      ['other-key', makeJob('sign0001', trial, 'somebody else\'s secret key'), 'failed', /^refused by worker \S+: bad signature/],
      ['signed', makeJob('sign0001', trial, secret), 'completed', null],
    ];
    for (const [jobId, data] of cases) await signedQueue.add('trial', data, { jobId });
    for (const [jobId, , state, reason] of cases) {
      expect(await waitForAsync(jobId, async () => {
        const s = await signedQueue.getJobState(jobId);
        return s === 'completed' || s === 'failed' ? s : undefined;
      })).toBe(state);
      if (reason) expect((await Job.fromId(signedQueue, jobId))!.failedReason).toMatch(reason);
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('a coordinator whose trials a worker refuses shows why, and finishes', async () => {
    const specFile = join(root, 'outside.gan');
    writeFileSync(specFile, folderSpec(join(dirs.outside, 'secret')));
    const dir = join(root, 'search-refused');
    const r = await runMain('search', specFile, '--out', dir, '--queue', redis.url, '--vary', 'scale', '--scales', '10',
      '--min-steps', '5', '--max-steps', '15', '--seeds', '1', '--batch', '2', '--eval-samples', '20');
    expect(r.status, r.stderr).toBe(0);
    const failures = r.stdout.split('\n').filter((l) => /^\[\d+\] /.test(l));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const line of failures) {
      expect(line).toMatch(/: failed: job failed after 1 attempt: refused by worker \S+: data folder ".*secret" is outside this worker's data root \(/);
    }
  }, PROCESS_TEST_TIMEOUT_MS);
});

// Distributed search on a real BullMQ queue and redis-server: two worker processes, one SIGKILLed
// mid-trial, and the coordinator SIGKILLed and resumed. Every trial ends up in the results exactly
// once, the killed worker's trial is retried by the other through stalled-job handling, and what the
// surviving worker finished while the coordinator was down is picked up from the queue, not retrained.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server); in CI (CI set) it always runs.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_NAME, redisConnection } from '../../src/search/queue-connection.js';
import type { SearchState } from '../../src/search/state.js';
import { ganc, TINY_BUDGET } from './cli-run.js';
import { RING8_SPEC } from './formulas.js';
import { checkSearchDir } from './leaderboard-checks.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor, type CliProcess } from '../helpers/cli-processes.js';
import { haveRedisServer, startRedisServer, type RedisServer } from './redis-server.js';

const skip = !haveRedisServer() && !process.env.CI;

describe.skipIf(skip)('search on a BullMQ queue', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('loses no trial and trains none twice when a worker and the coordinator are killed', async () => {
    const redis: RedisServer = await startRedisServer();
    cleanups.push(() => redis.stop());
    const root = mkdtempSync(join(tmpdir(), 'ganc-queue-'));
    const dir = join(root, 'search');
    const stateFile = join(dir, 'search-state.json');
    const readState = (): SearchState | undefined => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) as SearchState : undefined);
    const startWorker = (name: string): CliProcess => {
      const worker = spawnGanc(['worker', '--queue', redis.url, '--lock-ms', '1500', '--out', join(root, name)]);
      cleanups.push(async () => { worker.child.kill('SIGKILL'); await exited(worker.child); });
      return worker;
    };
    const started = (w: CliProcess): string[] => w.lines.flatMap((l) => /^started (\S+)/.exec(l)?.[1] ?? []);
    const finished = (w: CliProcess): string[] => w.lines.flatMap((l) => /^finished (\S+)/.exec(l)?.[1] ?? []);

    const a = startWorker('worker-a');
    const b = startWorker('worker-b');
    await waitFor('both workers', () => [a, b].every((w) => w.lines.some((l) => l.includes('waiting for trials'))));
    const coordinator = spawnGanc(['search', RING8_SPEC, '--out', dir, '--queue', redis.url, '--vary', 'scale', '--scales', '10', ...TINY_BUDGET, '--seeds', '1',
      // Rung 1's trials last about a second each, so that when the coordinator dies after its fourth result,
      // B is still training one it has not recorded (at 15 steps B could finish all six first).
      '--min-steps', '200', '--max-steps', '600']);
    cleanups.push(async () => { coordinator.child.kill('SIGKILL'); await exited(coordinator.child); });

    // Worker A dies in the middle of its first trial.
    const killedTrial = await waitFor('worker A to start a trial', () => started(a)[0]);
    // Killed now, A's trial process stops at its next step: from the queue's side the job is mid-trial.
    await new Promise((r) => setTimeout(r, 300));
    a.child.kill('SIGKILL');
    await exited(a.child);
    expect(finished(a)).toEqual([]);

    // The coordinator dies in rung 1, while worker B has queued trials left to train.
    await waitFor('four recorded results', () => Object.keys(readState()?.results ?? {}).length >= 4);
    coordinator.child.kill('SIGKILL');
    await exited(coordinator.child);
    const recordedBefore = Object.keys(readState()!.results);
    await waitFor('worker B to finish a trial the coordinator has not recorded', () =>
      finished(b).some((id) => !recordedBefore.includes(id)));

    const resumed = await ganc('search', '--resume', dir, '--queue', redis.url);
    expect(resumed.code, resumed.err).toBe(0);

    const { state, board } = checkSearchDir(dir);
    expect(board.trials).toBe(3 + 3);
    // Each trial was trained once by B, except the one A was killed in, which B trained again.
    const trainedByB = started(b);
    expect([...trainedByB].sort()).toEqual(Object.keys(state.results).sort());
    expect(started(a)).toEqual([killedTrial]);
    const bName = b.lines.map((l) => /^worker (\S+) waiting/.exec(l)?.[1]).find(Boolean);
    for (const r of Object.values(state.results)) expect(r.worker).toBe(bName);

    const queue = new Queue(DEFAULT_QUEUE_NAME, { connection: redisConnection(redis.url) });
    cleanups.push(() => queue.close());
    const job = await Job.fromId(queue, `${state.searchId}.${killedTrial}`);
    expect(job!.stalledCounter).toBeGreaterThanOrEqual(1);
    expect(await job!.getState()).toBe('completed');
  }, PROCESS_TEST_TIMEOUT_MS);
});

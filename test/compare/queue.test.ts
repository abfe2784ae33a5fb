// `ganc compare --queue`: the grid's trials as BullMQ jobs on a real redis-server, trained by a
// `ganc worker --queue` process, then scored by the coordinator from the worker's run directories.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server); in CI (CI set) it always runs.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareDocument } from '../../src/compare/output.js';
import { TRIAL_FILE } from '../../src/compare/records.js';
import type { CompareState } from '../../src/compare/state.js';
import { ganc } from '../search/cli-run.js';
import { haveRedisServer, startRedisServer } from '../search/redis-server.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const skip = !haveRedisServer() && !process.env.CI;

const TINY_RING8 = ring8Spec({ name: 'tiny', lines: ['reg 1 * r1'], train: 'steps 10 seed 0 log 50 sample 1000 checkpoint 1000 eval 100' });

describe.skipIf(skip)('compare on a BullMQ queue', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('trains every cell on a queue worker and scores each run from its directory', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const root = mkdtempSync(join(tmpdir(), 'ganc-compare-queue-'));
    const spec = join(root, 'tiny.gan');
    writeFileSync(spec, TINY_RING8);
    const worker = spawnGanc(['worker', '--queue', redis.url, '--out', join(root, 'worker-runs')]);
    cleanups.push(async () => { worker.child.kill('SIGKILL'); await exited(worker.child); });
    await waitFor('the worker', () => worker.lines.some((l) => l.includes('waiting for trials')));
    const workerName = worker.lines.map((l) => /^worker (\S+) waiting/.exec(l)?.[1]).find(Boolean);

    const dir = join(root, 'grid');
    const r = await ganc('compare', spec, '--set', 'optimizer D adam lr {1e-3,2e-4}', '--seeds', '2', '--steps', '30',
      '--eval-samples', '100', '--baseline', 'tiny_1', '--queue', redis.url, '--out', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/trials run job queue ganc-trials on redis:\/\/127\.0\.0\.1:\d+/);

    const state = JSON.parse(readFileSync(join(dir, 'compare-state.json'), 'utf8')) as CompareState;
    const results = Object.values(state.results);
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.worker).toBe(workerName);
      expect(result.runDir.startsWith(join(root, 'worker-runs'))).toBe(true);
      expect(existsSync(join(result.runDir, TRIAL_FILE))).toBe(true);
      expect(state.evaluations[result.trialId]).toHaveProperty('scores');
    }
    const doc = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareDocument;
    expect(doc.table.cells.map((c) => [c.method, c.finished])).toEqual([['tiny_1', 2], ['tiny_2', 2]]);
    expect(doc.table.comparisons).toHaveLength(2);
  }, PROCESS_TEST_TIMEOUT_MS);
});

// The database number in a queue URL is honoured by coordinator and worker alike: a search on /3 puts
// its jobs in database 3 only, where a worker of /3 trains them and a worker of database 0 never sees
// them. A database the server does not have, or a path that is not a number, is one line at once.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server); in CI (CI set) it always runs.
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_NAME } from '../../src/search/queue-connection.js';
import { loadState } from '../../src/search/state.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, waitFor, type CliProcess } from '../helpers/cli-processes.js';
import { runMain } from '../cli/in-process.js';
import { RING8_SPEC } from '../search/formulas.js';
import { haveRedisServer, startRedisServer, type RedisServer } from '../search/redis-server.js';
import { spawnGancWith } from './helpers.js';

const skip = !haveRedisServer() && !process.env.CI;
const SEARCH_BUDGET = ['--vary', 'scale', '--scales', '10', '--min-steps', '5', '--max-steps', '15', '--seeds', '1', '--batch', '32', '--eval-samples', '200'];

describe.skipIf(skip)('the database number', () => {
  let redis: RedisServer;
  let root: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-db-index-')));
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  const startWorker = (url: string, name: string): CliProcess => {
    const w = spawnGancWith(['worker', '--queue', url, '--out', join(root, name), '--lock-ms', '2000']);
    cleanups.push(async () => { w.child.kill('SIGKILL'); await exited(w.child); });
    return w;
  };
  const keysIn = async (db: number): Promise<string[]> => {
    const client = new Redis({ host: '127.0.0.1', port: redis.port, db });
    try {
      return await client.keys('*');
    } finally {
      client.disconnect();
    }
  };

  it('a search on /3 is trained by the worker of /3 only, and its jobs are in database 3 only', async () => {
    const zero = startWorker(redis.url, 'worker-db0');
    const three = startWorker(`${redis.url}/3`, 'worker-db3');
    await waitFor('both workers', () => [zero, three].every((w) => w.lines.some((l) => l.includes('waiting for trials'))));
    expect(three.lines.some((l) => l.includes(`waiting for trials on ${redis.url}/3 (`))).toBe(true);

    const dir = join(root, 'search');
    const r = await runMain('search', RING8_SPEC, '--out', dir, '--queue', `${redis.url}/3`, ...SEARCH_BUDGET);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`trials run job queue ${DEFAULT_QUEUE_NAME} on ${redis.url}/3`);

    const state = loadState(dir);
    const threeName = three.lines.map((l) => /^worker (\S+) waiting/.exec(l)?.[1]).find(Boolean);
    expect(Object.values(state.results).map((t) => t.worker)).toEqual(Array(Object.keys(state.results).length).fill(threeName));
    expect(zero.lines.some((l) => l.startsWith('started '))).toBe(false);
    const jobKey = (k: string) => k.includes(state.searchId);
    expect((await keysIn(3)).filter(jobKey).length).toBeGreaterThan(0);
    expect((await keysIn(0)).filter(jobKey)).toEqual([]);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('a database the server lacks, or a path that is not a number, is one line within seconds', async () => {
    const cases: [string, RegExp][] = [
      [`${redis.url}/99`, /^Redis at redis:\/\/127\.0\.0\.1:\d+\/99: has no database 99 \(ERR DB index is out of range\)$/],
      [`${redis.url}/abc`, /^--queue redis:\/\/127\.0\.0\.1:\d+\/abc: 'abc' is not a database number \(\/0, \/1, …\)$/],
      [`${redis.url}/1/2`, /is not a database number/],
      [`${redis.url}/3?db=4`, /nothing may follow the database number$/],
    ];
    for (const [url, expected] of cases) {
      for (const args of [['search', RING8_SPEC, '--out', join(root, 'never-made'), '--queue', url], ['worker', '--queue', url]]) {
        const started = Date.now();
        const r = await runMain(...args);
        expect(r.status, `${args[0]} ${url}: ${r.stderr}`).toBe(1);
        expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(expected)]);
        expect(Date.now() - started).toBeLessThan(5000);
      }
      expect(existsSync(join(root, 'never-made'))).toBe(false);
    }
    // Nothing answers on this port: refused, said in one line, not waited for.
    const dead = await runMain('worker', '--queue', 'redis://127.0.0.1:1');
    expect(dead.status).toBe(1);
    expect(dead.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:1: cannot connect: connect ECONNREFUSED/)]);
  }, PROCESS_TEST_TIMEOUT_MS);
});

// The Redis password never shows: not in what the coordinator or a worker prints, not in any file they
// write, not in the worker's command line (it comes from GANC_REDIS_PASSWORD), not in the jobs on the
// queue; a password written in the URL is printed as ***. Wrong or missing passwords and unreachable
// servers are one line. rediss:// works against a TLS-only server with a private CA.
// Needs redis-server (Debian/Ubuntu: apt-get install redis-server) and openssl; in CI (CI set) it always runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJob, type TrialJob } from '../../src/search/job.js';
import { DEFAULT_QUEUE_NAME, queueAddress } from '../../src/search/queue-connection.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, waitFor, type CliProcess } from '../helpers/cli-processes.js';
import { runMain } from '../cli/in-process.js';
import { RING8_SPEC } from '../search/formulas.js';
import { haveRedisServer, startRedisServer, type RedisServer } from '../search/redis-server.js';
import { filesContaining, runGancWith, spawnGancWith, TINY_RING8, trialOf, waitForAsync } from './helpers.js';

const skip = !haveRedisServer() && !process.env.CI;
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-S3cr3t`;
const SEARCH_BUDGET = ['--vary', 'scale', '--scales', '10', '--min-steps', '5', '--max-steps', '15', '--seeds', '1', '--batch', '32', '--eval-samples', '200'];

describe.skipIf(skip)('the Redis password', () => {
  let redis: RedisServer;
  let root: string;
  const cleanups: (() => Promise<void>)[] = [];
  const startWorker = (args: string[], env: Record<string, string> = {}): CliProcess => {
    const w = spawnGancWith(['worker', ...args], { env });
    cleanups.push(async () => { w.child.kill('SIGKILL'); await exited(w.child); });
    return w;
  };

  beforeAll(async () => {
    // The test's own environment must not lend the CLI a password.
    delete process.env.GANC_REDIS_PASSWORD;
    redis = await startRedisServer({ password: PASSWORD });
    cleanups.push(() => redis.stop());
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-credentials-')));
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('from GANC_REDIS_PASSWORD: a search runs and the password is in no output, file, command line or job', async () => {
    const env = { GANC_REDIS_PASSWORD: PASSWORD };
    const out = join(root, 'worker-out');
    const worker = startWorker(['--queue', redis.url, '--out', out, '--lock-ms', '2000'], env);
    await waitFor('the worker', () => worker.lines.some((l) => l.includes('waiting for trials')));
    const cmdline = readFileSync(`/proc/${worker.child.pid}/cmdline`, 'utf8');
    const dir = join(root, 'search');
    const coordinator = await runGancWith(['search', RING8_SPEC, '--out', dir, '--queue', redis.url, ...SEARCH_BUDGET], { env });
    expect(coordinator.code, coordinator.lines.join('\n')).toBe(0);
    expect(coordinator.lines).toContain(`trials run job queue ${DEFAULT_QUEUE_NAME} on ${redis.url}`);
    expect(worker.lines.some((l) => l.startsWith('finished '))).toBe(true);

    expect(coordinator.lines.join('\n')).not.toContain(PASSWORD);
    expect(worker.lines.join('\n')).not.toContain(PASSWORD);
    expect(cmdline).not.toContain(PASSWORD);
    expect(filesContaining(dir, PASSWORD)).toEqual([]);
    expect(filesContaining(out, PASSWORD)).toEqual([]);
    const client = new Redis({ ...queueAddress(redis.url, env).options as Record<string, unknown> });
    cleanups.push(async () => { client.disconnect(); });
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await client.type(key);
      const stored = type === 'hash' ? JSON.stringify(await client.hgetall(key)) : type === 'string' ? await client.get(key) : '';
      expect(stored ?? '', key).not.toContain(PASSWORD);
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('written in the URL: shown as ***, with a note that ps shows it', async () => {
    const withPassword = redis.url.replace('redis://', `redis://:${PASSWORD}@`);
    const worker = startWorker(['--queue', withPassword, '--out', join(root, 'url-worker')]);
    await waitFor('the worker', () => worker.lines.some((l) => l.includes('waiting for trials')));
    expect(worker.lines.join('\n')).not.toContain(PASSWORD);
    expect(worker.lines.some((l) => l.includes(`on redis://:***@127.0.0.1:${redis.port} (`))).toBe(true);
    expect(worker.lines).toContain('note: a password in --queue is visible to other users of this machine (ps); set GANC_REDIS_PASSWORD instead');
  }, PROCESS_TEST_TIMEOUT_MS);

  it('wrong, missing or on a URL that does not parse: one line, no password, no search directory', async () => {
    const wrong = `wrong-${PASSWORD}`;
    const cases: [string[], RegExp][] = [
      [['--queue', redis.url.replace('redis://', `redis://:${wrong}@`)], /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: cannot connect: WRONGPASS .* \(the password comes from the URL or GANC_REDIS_PASSWORD\)$/],
      [['--queue', redis.url], /^Redis at redis:\/\/127\.0\.0\.1:\d+: cannot connect: NOAUTH .* \(the password comes from the URL or GANC_REDIS_PASSWORD\)$/],
      [['--queue', `redis://:${wrong}@127.0.0.1:99999`], /^--queue wants redis:\/\/HOST:PORT\[\/DB\] or rediss:\/\/…, got 'redis:\/\/:\*\*\*@127\.0\.0\.1:99999'$/],
    ];
    for (const [args, expected] of cases) {
      const dir = join(root, 'never-made');
      const r = await runMain('search', RING8_SPEC, '--out', dir, ...args, ...SEARCH_BUDGET);
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('note: '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(r.stderr + r.stdout).not.toContain(wrong);
      expect(r.stderr + r.stdout).not.toContain(PASSWORD);
      expect(existsSync(dir)).toBe(false);
    }
  }, PROCESS_TEST_TIMEOUT_MS);
});

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(skip || (!haveOpenssl && !process.env.CI))('rediss://', () => {
  let redis: RedisServer;
  let root: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-tls-')));
    const openssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=ganc test CA');
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(root, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
    redis = await startRedisServer({ password: PASSWORD, tls: { cert: join(root, 'server.crt'), key: join(root, 'server.key'), ca: join(root, 'ca.crt') } });
    cleanups.push(() => redis.stop());
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('a worker trusting the CA trains a job over TLS', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const worker = spawnGancWith(['worker', '--queue', redis.url, '--out', join(root, 'out')], {
      env: { GANC_REDIS_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: join(root, 'ca.crt') },
    });
    cleanups.push(async () => { worker.child.kill('SIGKILL'); await exited(worker.child); });
    await waitFor('the worker', () => worker.lines.some((l) => l.includes(`waiting for trials on ${redis.url}`)) || worker.child.exitCode !== null);
    expect(worker.child.exitCode, worker.lines.join('\n')).toBeNull();
    const { options } = queueAddress(redis.url, { GANC_REDIS_PASSWORD: PASSWORD });
    const queue = new Queue<TrialJob>(DEFAULT_QUEUE_NAME, { connection: { ...options, tls: { ca: readFileSync(join(root, 'ca.crt')) } } });
    cleanups.push(() => queue.close());
    await queue.add('trial', makeJob('tls12345', trialOf(TINY_RING8, '/specs/tiny.gan')), { jobId: 'over-tls' });
    const state = await waitForAsync('the job', async () => {
      const s = await queue.getJobState('over-tls');
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(state).toBe('completed');
  }, PROCESS_TEST_TIMEOUT_MS);

  it('a certificate it cannot verify is one line', async () => {
    process.env.GANC_REDIS_PASSWORD = PASSWORD;
    try {
      const r = await runMain('worker', '--queue', redis.url);
      expect(r.status).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Redis at rediss:\/\/127\.0\.0\.1:\d+: cannot connect: .*certificate/)]);
    } finally {
      delete process.env.GANC_REDIS_PASSWORD;
    }
  });
});

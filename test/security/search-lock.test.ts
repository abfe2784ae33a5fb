// One coordinator per search directory: a second `ganc search --resume` of a directory in use fails at
// once with one line naming the holder, instead of training every remaining trial a second time; a
// dead coordinator's lock is taken over; of several coordinators starting together exactly one wins.
// Also: --workers is capped at its documented maximum.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockSearchDir, SearchLockError } from '../../src/search/search-lock.js';
import { MAX_WORKERS } from '../../src/search/search-options.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';
import { runMain } from '../cli/in-process.js';
import { RING8_SPEC } from '../search/formulas.js';
import { runsPerTrial } from '../search/leaderboard-checks.js';

const scratch = (): string => realpathSync(mkdtempSync(join(tmpdir(), 'ganc-lock-')));
const writeLock = (dir: string, holder: object): void => writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify(holder)}\n`);

describe('lockSearchDir', () => {
  it('is held until released, and a second taker is told who holds it', () => {
    const dir = scratch();
    const release = lockSearchDir(dir);
    expect(() => lockSearchDir(dir)).toThrow(SearchLockError);
    expect(() => lockSearchDir(dir)).toThrow(new RegExp(`another ganc search is running on this directory \\(pid ${process.pid} on ${hostname()} since `));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = lockSearchDir(dir);
    again();
    // Releasing twice, or after someone else took the lock, leaves their lock alone.
    writeLock(dir, { pid: process.pid, host: hostname(), since: 'later' });
    again();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('takes over the lock of a coordinator that died', () => {
    const dir = scratch();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLock(dir, { pid: dead, host: hostname(), since: '2026-01-01T00:00:00Z' });
    const release = lockSearchDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('does not guess about another host or a file it did not write', () => {
    const dir = scratch();
    writeLock(dir, { pid: 1, host: 'elsewhere.example', since: '2026-01-01T00:00:00Z' });
    expect(() => lockSearchDir(dir)).toThrow(new RegExp(`\\(pid 1 on elsewhere\\.example since 2026-01-01T00:00:00Z\\); if it no longer runs, delete ${join(dir, LOCK_FILE)}$`));
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => lockSearchDir(dir)).toThrow(/search\.lock is not a ganc lock; if no ganc search runs on this directory, delete /);
  });

  it('of six processes taking it at the same moment, exactly one wins', async () => {
    const dir = scratch();
    const go = join(dir, 'go');
    const stop = join(dir, 'stop');
    const lockModule = pathToFileURL(join(import.meta.dirname, '../../src/search/search-lock.ts')).href;
    const code = `
      import { existsSync } from 'node:fs';
      import { lockSearchDir } from ${JSON.stringify(lockModule)};
      const wait = async (f) => { while (!existsSync(f)) await new Promise((r) => setTimeout(r, 5)); };
      console.log('ready');
      await wait(${JSON.stringify(go)});
      let release = null;
      try { release = lockSearchDir(${JSON.stringify(dir)}); console.log('won'); } catch (e) { console.log('lost: ' + e.message); }
      await wait(${JSON.stringify(stop)});
      release?.();`;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const children = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      const lines: string[] = [];
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
      return { child, lines };
    });
    await waitFor('six ready processes', () => children.every((c) => c.lines.includes('ready')));
    writeFileSync(go, '');
    await waitFor('six answers', () => children.every((c) => c.lines.length === 2));
    writeFileSync(stop, '');
    await Promise.all(children.map((c) => exited(c.child)));
    const answers = children.map((c) => c.lines[1]);
    expect(answers.filter((a) => a === 'won')).toHaveLength(1);
    for (const a of answers.filter((x) => x !== 'won')) expect(a).toMatch(/^lost: .*another ganc search is running on this directory \(pid \d+ on /);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, PROCESS_TEST_TIMEOUT_MS);
});

describe('ganc search and the lock', () => {
  it('a second --resume while a search runs fails at once with one line, and no trial is trained twice', async () => {
    const dir = join(scratch(), 'search');
    const first = spawnGanc(['search', RING8_SPEC, '--out', dir, '--vary', 'scale', '--scales', '10', '--min-steps', '50', '--max-steps', '150',
      '--seeds', '1', '--batch', '32', '--eval-samples', '200']);
    await waitFor('the first search to start training', () => first.lines.some((l) => l.startsWith('rung 0:')));
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(holder.pid).toBe(first.child.pid);

    const started = Date.now();
    const second = await runMain('search', '--resume', dir);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr.trimEnd().split('\n')).toEqual([
      `${dir}: another ganc search is running on this directory (pid ${first.child.pid} on ${hostname()} since ${holder.since})`,
    ]);

    await exited(first.child);
    expect(first.child.exitCode, first.lines.join('\n')).toBe(0);
    expect(Object.values(runsPerTrial(dir)).every((n) => n === 1)).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('--workers is capped at its documented maximum, before anything is made', async () => {
    const dir = join(scratch(), 'search');
    for (const workers of ['1000000000', String(MAX_WORKERS + 1), '0', '2.5']) {
      const started = Date.now();
      const r = await runMain('search', RING8_SPEC, '--out', dir, '--workers', workers);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`--workers: '${workers}' is not a whole number from 1 to ${MAX_WORKERS}\n`);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(existsSync(dir)).toBe(false);
    }
    expect(readFileSync(join(import.meta.dirname, '../../docs/search.md'), 'utf8')).toContain(`at most ${MAX_WORKERS}`);
  });
});

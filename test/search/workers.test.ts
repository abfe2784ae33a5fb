// `ganc search --workers 2` on the lambda*R_t^3 window 2 spec: trials run in two child processes,
// each trial once, and the leaderboard is the same kind of complete, consistent table.
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';
import { ganc, TINY_BUDGET } from './cli-run.js';
import { GND_SPEC } from './formulas.js';
import { checkSearchDir, runsPerTrial } from './leaderboard-checks.js';

it('runs the trials of a search in two worker processes', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ganc-workers-')), 'gnd');
  const { code, out, err } = await ganc('search', GND_SPEC, '--out', dir, '--workers', '2',
    '--vary', 'fn,window', '--fns', 'abs', '--windows', '1', ...TINY_BUDGET, '--seeds', '1');
  expect(code, err).toBe(0);
  expect(out).toContain('trials run 2 worker processes on this machine');

  const { state, board } = checkSearchDir(dir);
  expect(state.variants.map((v) => v.reg)).toEqual([
    'reg lambda * R_t ^ 3 window 2', '(none)', 'reg lambda * abs(R_t) ^ 3 window 2', 'reg abs(lambda * R_t ^ 3) window 2', 'reg lambda * R_t ^ 3',
  ]);
  const workers = new Set(Object.values(state.results).map((r) => r.worker));
  expect(workers.size).toBe(2);
  expect(workers.has(`${hostname()}:${process.pid}`)).toBe(false);
  expect(Object.values(runsPerTrial(dir))).toEqual(Array(board.trials).fill(1));
}, PROCESS_TEST_TIMEOUT_MS);

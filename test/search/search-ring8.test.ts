// `ganc search specs/ring8.gan` with a tiny budget, in this process: the leaderboard is complete,
// consistent with the recorded scores, and equivalent formulas were trained once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';
import { ganc, TINY_BUDGET } from './cli-run.js';
import { RING8_SPEC } from './formulas.js';
import { checkSearchDir, runsPerTrial } from './leaderboard-checks.js';

it('searches ring8: every variant checks, duplicates are trained once, the ranking follows the scores', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ganc-search-')), 'ring8');
  const { code, out, err } = await ganc('search', RING8_SPEC, '--out', dir,
    '--vary', 'fn,scale', '--fns', 'abs,square', '--scales', '0.1,10', ...TINY_BUDGET);
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toContain('4 unique variants and 2 baselines (2 equivalent candidates merged)');
  // Each progress line names the process that trained the trial, as a person reads it.
  expect(out).toMatch(/^\[1\] \S+: .* \(\d+\.\d s on host \S+, pid \d+\)$/m);

  const { state, board } = checkSearchDir(dir);
  // 0.1 * abs(r1) and abs(0.1 * r1) are the spec's own formula (r1 ≥ 0): merged into it, not trained.
  const original = state.variants.find((v) => v.kind === 'original')!;
  expect(original.duplicates).toEqual([['abs on r1'], ['abs on the whole formula']]);
  expect(state.variants.map((v) => v.reg).filter((r) => r.includes('abs'))).toEqual([]);
  expect(board.budget.rungSteps).toEqual([5, 15]);
  expect(board.trials).toBe(6 + (2 + 2) * 2);
  expect(Object.values(runsPerTrial(dir))).toEqual(Array(board.trials).fill(1));
}, PROCESS_TEST_TIMEOUT_MS);

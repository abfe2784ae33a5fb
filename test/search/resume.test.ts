// A coordinator killed mid-search and restarted with --resume: finished trials are not trained again,
// and the finished search is the same complete, consistent table.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SearchState } from '../../src/search/state.js';
import { ganc, TINY_BUDGET } from './cli-run.js';
import { RING8_SPEC } from './formulas.js';
import { checkSearchDir, runsPerTrial } from './leaderboard-checks.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';

it('continues a killed search from search-state.json without retraining finished trials', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ganc-resume-')), 'ring8');
  const stateFile = join(dir, 'search-state.json');
  const readState = (): SearchState | undefined => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) as SearchState : undefined);

  const first = spawnGanc(['search', RING8_SPEC, '--out', dir, '--vary', 'scale', '--scales', '10', ...TINY_BUDGET, '--seeds', '1']);
  const before = await waitFor('three finished trials', () => {
    const state = readState();
    return state && Object.keys(state.results).length >= 3 && state;
  });
  first.child.kill('SIGKILL');
  await exited(first.child);
  const finishedBefore = readState()!.results;
  expect(Object.keys(finishedBefore).length).toBeGreaterThanOrEqual(Object.keys(before.results).length);

  const { code, out, err } = await ganc('search', '--resume', dir);
  expect(code, err).toBe(0);
  expect(out).toContain(`resuming ${dir}: ${Object.keys(finishedBefore).length} trials already finished`);

  const { state, board } = checkSearchDir(dir);
  expect(board.trials).toBe(3 + 3);
  for (const [id, result] of Object.entries(finishedBefore)) expect(state.results[id]).toEqual(result);
  const runs = runsPerTrial(dir);
  for (const id of Object.keys(finishedBefore)) expect(runs[id]).toBe(1);
  // The trial the kill interrupted left a partial run behind and was trained again from the start.
  expect(Object.values(runs).every((n) => n === 1 || n === 2)).toBe(true);
}, PROCESS_TEST_TIMEOUT_MS);

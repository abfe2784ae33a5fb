// Test helper: what every finished search directory must satisfy, whatever ran its trials.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { Leaderboard } from '../../src/search/leaderboard.js';
import { planSearch, trialsOf } from '../../src/search/scheduler.js';
import { compareSummaries, summarize } from '../../src/search/scores.js';
import { loadState, type SearchState } from '../../src/search/state.js';

export function readLeaderboard(dir: string): Leaderboard {
  return JSON.parse(readFileSync(join(dir, 'leaderboard.json'), 'utf8')) as Leaderboard;
}

export function checkSearchDir(dir: string): { state: SearchState; board: Leaderboard } {
  const state = loadState(dir);
  const board = readLeaderboard(dir);

  // Every variant file parses and checks.
  for (const v of state.variants) {
    const path = join(dir, v.file);
    expect(compileSource(readFileSync(path, 'utf8'), path).diagnostics, v.file).toEqual([]);
  }

  // Equivalent formulas are one variant, and each planned trial has exactly one result.
  const keys = state.variants.map((v) => v.key);
  expect(new Set(keys).size).toBe(keys.length);
  const plan = planSearch(state.variants, state.config.budget, state.results, state.measures, state.config.specFile);
  expect(plan.done).toBe(true);
  const planned = plan.rungs.flatMap((ids, rung) => ids.flatMap((id) =>
    trialsOf(state.variants.find((v) => v.id === id)!, state.config.budget, rung, state.config.specFile).map((t) => t.id)));
  expect(Object.keys(state.results).sort()).toEqual([...planned].sort());
  for (const [id, r] of Object.entries(state.results)) expect(r.trialId).toBe(id);
  expect(board.trials).toBe(planned.length);
  expect(board.done).toBe(true);

  // The ranking is the recorded scores' order: clean before flagged, higher rung first, better score first;
  // a row that ties the one before shares its rank (all clean rows, when the first rung gave no signal).
  expect(board.ranking.map((r) => r.id).sort()).toEqual(state.variants.map((v) => v.id).sort());
  board.ranking.forEach((row, i) => {
    const before = board.ranking[i - 1];
    const ties = before !== undefined && before.flags.length === 0 && row.flags.length === 0 && (board.noSignal
      || (before.budget.length === row.budget.length && before.scores !== null && row.scores !== null
        && compareSummaries(before.scores, row.scores, state.measures) === 0));
    expect(row.rank).toBe(ties ? before.rank : i + 1);
    const variant = state.variants.find((v) => v.id === row.id)!;
    const top = row.budget.length - 1;
    const recorded = trialsOf(variant, state.config.budget, top, state.config.specFile).map((t) => state.results[t.id]);
    expect(row.scores).toEqual(summarize(recorded, state.measures));
    const next = board.ranking[i + 1];
    if (!next) return;
    const flagged = row.flags.length > 0;
    const nextFlagged = next.flags.length > 0;
    expect(flagged && !nextFlagged).toBe(false);
    if (flagged !== nextFlagged) return;
    expect(row.budget.length).toBeGreaterThanOrEqual(next.budget.length);
    if (!flagged && row.budget.length === next.budget.length && row.scores && next.scores) {
      expect(compareSummaries(row.scores, next.scores, state.measures)).toBeLessThanOrEqual(0);
    }
  });
  expect(board.ranking.filter((r) => r.kind !== 'variant').map((r) => r.budget)).toEqual([board.budget.rungSteps, board.budget.rungSteps]);

  for (const file of ['leaderboard.md', 'search.html']) expect(existsSync(join(dir, file))).toBe(true);
  const md = readFileSync(join(dir, 'leaderboard.md'), 'utf8');
  for (const v of state.variants) expect(md).toContain(`\`${v.reg}\``);
  expect(readFileSync(join(dir, 'search.html'), 'utf8')).toContain('<svg');
  return { state, board };
}

/** Run directories under runs/<trial id>/: one per trial unless a trial was interrupted and retried. */
export function runsPerTrial(dir: string): Record<string, number> {
  const runs = join(dir, 'runs');
  return Object.fromEntries(readdirSync(runs).map((trial) => [trial, readdirSync(join(runs, trial)).length]));
}

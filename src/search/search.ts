// A formula search from start to leaderboard: generate and check the variants, write the state, then
// run successive halving rung by rung through an executor, saving every result as it arrives, and write
// the leaderboard. Run again on the same directory, `runSearch` continues from search-state.json without
// retraining finished trials.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TrialExecutor } from './executor.js';
import { writeLeaderboard, type Leaderboard } from './leaderboard.js';
import { rankVariants, tiedRungs } from './ranking.js';
import { planSearch, rungSteps } from './scheduler.js';
import { measuresFor } from './scores.js';
import { checkSpecText } from './check-spec.js';
import { loadState, saveState, type SearchConfig, type SearchState } from './state.js';
import type { TrialResult } from './trial.js';
import { generateVariants, writeVariantFiles, type Variant } from './variants.js';
import type { RewriteFamily } from './rewrites.js';
import { UserError } from '../errors.js';

export const RUNS_DIR = 'runs';

export class SearchDirError extends UserError {}

/** Creates the search directory with its checked variant specs and its initial state. */
export function createSearch(dir: string, config: SearchConfig, specText: string): SearchState {
  const specFile = resolve(config.specFile);
  const ir = checkSpecText(specText, config.specFile);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new SearchDirError(`${dir}: exists and is not empty (use --resume ${dir} to continue it)`);
  const { variants, truncated, skipped } = generateVariants(specText, config.specFile, ir, config);
  mkdirSync(dir, { recursive: true });
  try {
    writeVariantFiles(dir, variants, config.regIndex, ir.regularizers.length);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true }); // no half-made search directory
    throw e;
  }
  const state: SearchState = {
    version: 1, searchId: randomUUID().slice(0, 8), createdAt: new Date().toISOString(),
    config: { ...config, specFile }, specText, data: ir.data.kind, measures: measuresFor(ir.data.kind),
    regCount: ir.regularizers.length, variants, truncated, skipped, results: {},
  };
  saveState(dir, state);
  return state;
}

export interface SearchEvents {
  onRung?: (rung: number, steps: number, trials: number) => void;
  onResult?: (result: TrialResult, finished: number) => void;
}

export function leaderboardOf(state: SearchState): Leaderboard {
  const { config } = state;
  const plan = planSearch(state.variants, config.budget, state.results, state.measures, config.specFile);
  const duplicatesMerged = state.variants.reduce((n, v) => n + v.duplicates.length, 0);
  const tied = tiedRungs(state.variants, plan.rungs, config.budget, state.results, state.measures, config.specFile);
  return {
    spec: config.specFile, reg: config.regIndex + 1, data: state.data, measures: state.measures,
    budget: { ...config.budget, rungSteps: rungSteps(config.budget) }, rungs: plan.rungs,
    unique: state.variants.length, duplicatesMerged, truncated: state.truncated,
    sampled: familyCounts(state.variants), skipped: state.skipped ?? [], tiedRungs: tied, noSignal: tied.includes(0),
    trials: Object.keys(state.results).length, done: plan.done,
    ranking: rankVariants(state.variants, plan.rungs, config.budget, state.results, state.measures, config.specFile, tied.includes(0)),
  };
}

/** Runs (or continues) the search in `dir` until every rung is trained, then writes the leaderboard. */
export async function runSearch(dir: string, executor: TrialExecutor, events: SearchEvents = {}): Promise<Leaderboard> {
  const state = loadState(dir);
  const { config } = state;
  for (;;) {
    const plan = planSearch(state.variants, config.budget, state.results, state.measures, config.specFile);
    if (plan.done) break;
    const rung = plan.pending[0].rung;
    events.onRung?.(rung, rungSteps(config.budget)[rung], plan.pending.length);
    await executor.runAll(plan.pending, (result) => {
      // A result for a trial already recorded (a retried job finishing twice) is not counted again.
      if (state.results[result.trialId]) return;
      state.results[result.trialId] = result;
      saveState(dir, state);
      events.onResult?.(result, Object.keys(state.results).length);
    });
  }
  const board = leaderboardOf(state);
  await writeLeaderboard(dir, board);
  return board;
}

export const runsDirOf = (dir: string): string => join(resolve(dir), RUNS_DIR);

/** How many variants each rewrite family contributed, in family order. */
function familyCounts(variants: Variant[]): Partial<Record<RewriteFamily, number>> {
  const counts: Partial<Record<RewriteFamily, number>> = {};
  for (const v of variants) if (v.family) counts[v.family] = (counts[v.family] ?? 0) + 1;
  return counts;
}

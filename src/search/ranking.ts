// The final order of a search: variants that trained cleanly first, by the highest rung they reached
// (the budget they earned), then by their score there (mean over seeds); variants with a diverged or
// failed trial last, with what went wrong. Nothing is dropped. Equal scores share a rank (1, 1, 3), and a
// rung where every entrant scored the same is named: its order (and so who was promoted from it) says
// nothing, which at small budgets (every score 0) is the whole ranking.
import { rungSteps, trialsOf, type Budget } from './scheduler.js';
import { compareSummaries, summarize, type Measure, type ScoreSummary } from './scores.js';
import { isFlagged, type TrialResult } from './trial.js';
import type { Variant } from './variants.js';

export interface Flag {
  trialId: string;
  steps: number;
  seed: number;
  /** `diverged at step 12: reg 0.1 * exp(r1) is NaN`, or the failure. */
  what: string;
}

export interface RankedVariant extends Omit<Variant, 'specText'> {
  rank: number;
  /** Steps of every rung this variant trained in. */
  budget: number[];
  /** Seeds of its highest rung. */
  seeds: number[];
  /** Scores at its highest rung; null when nothing there finished cleanly. */
  scores: ScoreSummary | null;
  flags: Flag[];
  /** Every finished trial of the variant, with the run it left (absent when it failed to start). */
  trials: RankedTrial[];
}

export interface RankedTrial {
  id: string;
  steps: number;
  seed: number;
  runDir: string;
  /** `host:pid` of the process that trained it. */
  worker: string;
}

function flagOf(r: TrialResult): Flag {
  const what = r.diverged ? `diverged at step ${r.diverged.step}: ${r.diverged.term} is ${r.diverged.value}` : `failed: ${r.error}`;
  return { trialId: r.trialId, steps: r.steps, seed: r.seed, what };
}

/**
 * `noSignal`: the first rung tied (tiedRungs), so which variants went on was generation order; then every
 * clean variant shares rank 1 and only the flagged ones rank below.
 */
export function rankVariants(
  variants: Variant[], rungs: string[][], b: Budget, results: Record<string, TrialResult>, measures: Measure[], specFile: string,
  noSignal = false,
): RankedVariant[] {
  const steps = rungSteps(b);
  const rows = variants.map((v) => {
    const reached = rungs.map((ids, rung) => (ids.includes(v.id) ? rung : -1)).filter((r) => r >= 0);
    const top = reached.at(-1) ?? 0;
    const all = reached.flatMap((rung) => trialsOf(v, b, rung, specFile)).map((t) => results[t.id]).filter(Boolean);
    const atTop = trialsOf(v, b, top, specFile).map((t) => results[t.id]).filter(Boolean);
    return {
      rank: 0, id: v.id, kind: v.kind, reg: v.reg, key: v.key, edits: v.edits, duplicates: v.duplicates, file: v.file,
      budget: reached.map((r) => steps[r]), seeds: atTop.map((r) => r.seed),
      scores: summarize(atTop, measures), flags: all.filter(isFlagged).map(flagOf), top,
      trials: all.map((r) => ({ id: r.trialId, steps: r.steps, seed: r.seed, runDir: r.runDir, worker: r.worker })),
    };
  });
  rows.sort((x, y) => {
    const flagged = Number(x.flags.length > 0) - Number(y.flags.length > 0);
    if (flagged !== 0) return flagged;
    if (x.top !== y.top) return y.top - x.top;
    if (x.scores && y.scores) return compareSummaries(x.scores, y.scores, measures);
    return Number(x.scores === null) - Number(y.scores === null);
  });
  // Competition ranking: a row that neither beats nor is beaten by the one before shares its rank.
  const sameAsBefore = (i: number): boolean => {
    const [a, b] = [rows[i - 1], rows[i]];
    if (i === 0 || a.flags.length > 0 || b.flags.length > 0) return false;
    if (noSignal) return true;
    return a.top === b.top && a.scores !== null && b.scores !== null && compareSummaries(a.scores, b.scores, measures) === 0;
  };
  const ranks: number[] = [];
  rows.forEach((_row, i) => ranks.push(sameAsBefore(i) ? ranks[i - 1] : i + 1));
  return rows.map(({ top: _top, ...row }, i) => ({ ...row, rank: ranks[i] }));
}

/**
 * The rungs where every entrant that finished cleanly (two or more, baselines included) has the same mean
 * score on every measure: there the budget gave no signal, and successive halving promoted by generation
 * order.
 */
export function tiedRungs(
  variants: Variant[], rungs: string[][], b: Budget, results: Record<string, TrialResult>, measures: Measure[], specFile: string,
): number[] {
  const byId = new Map(variants.map((v) => [v.id, v]));
  return rungs.flatMap((ids, rung) => {
    const summaries = ids.flatMap((id) => {
      const trials = trialsOf(byId.get(id)!, b, rung, specFile).map((t) => results[t.id]);
      if (trials.some((r) => r === undefined || isFlagged(r))) return [];
      const summary = summarize(trials, measures);
      return summary ? [summary] : [];
    });
    const allSame = summaries.length >= 2 && summaries.every((s) => compareSummaries(s, summaries[0], measures) === 0);
    return allSame ? [rung] : [];
  });
}

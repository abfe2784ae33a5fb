// The final order of a search: variants that trained cleanly first, by the highest rung they reached
// (the budget they earned), then by their score there (mean over seeds); variants with a diverged or
// failed trial last, with what went wrong. Nothing is dropped.
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
}

function flagOf(r: TrialResult): Flag {
  const what = r.diverged ? `diverged at step ${r.diverged.step}: ${r.diverged.term} is ${r.diverged.value}` : `failed: ${r.error}`;
  return { trialId: r.trialId, steps: r.steps, seed: r.seed, what };
}

export function rankVariants(
  variants: Variant[], rungs: string[][], b: Budget, results: Record<string, TrialResult>, measures: Measure[], specFile: string,
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
    };
  });
  rows.sort((x, y) => {
    const flagged = Number(x.flags.length > 0) - Number(y.flags.length > 0);
    if (flagged !== 0) return flagged;
    if (x.top !== y.top) return y.top - x.top;
    if (x.scores && y.scores) return compareSummaries(x.scores, y.scores, measures);
    return Number(x.scores === null) - Number(y.scores === null);
  });
  return rows.map(({ top: _top, ...row }, i) => ({ ...row, rank: i + 1 }));
}

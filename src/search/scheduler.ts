// Successive halving over the unique variants, as a pure function of what has finished: rung 0 trains
// every variant for `minSteps`; each later rung trains the best 1/η of the previous one η times longer,
// up to `maxSteps`; the last rung trains its finalists on `seeds` seeds. The baselines go through every
// rung and every seed, so they get the finalists' budget. Because the plan is recomputed from the
// results alone, a restarted coordinator continues where it stopped.
import { isFlagged, trialId, type Trial, type TrialResult } from './trial.js';
import { compareSummaries, summarize, type Measure } from './scores.js';
import type { Variant } from './variants.js';

export interface Budget {
  minSteps: number;
  maxSteps: number;
  eta: number;
  /** Seeds of the last rung. */
  seeds: number;
  /** The first seed; the last rung uses baseSeed … baseSeed + seeds − 1. */
  baseSeed: number;
  batch?: number;
  evalSamples: number;
}

/** Steps of each rung: minSteps · η^k, the last one exactly maxSteps. */
export function rungSteps(b: Budget): number[] {
  const steps: number[] = [];
  for (let s = b.minSteps; s < b.maxSteps; s *= b.eta) steps.push(Math.round(s));
  steps.push(b.maxSteps);
  return steps;
}

export function rungSeeds(b: Budget, rung: number): number[] {
  const count = rung === rungSteps(b).length - 1 ? b.seeds : 1;
  return Array.from({ length: count }, (_, i) => b.baseSeed + i);
}

export interface SearchPlan {
  /** Trials that must finish before the search can go on (none have results yet). */
  pending: Trial[];
  /** Which variants each rung trains, as far as the search got. */
  rungs: string[][];
  done: boolean;
}

const isBaseline = (v: Variant): boolean => v.kind !== 'variant';

export function trialsOf(v: Variant, b: Budget, rung: number, specFile: string): Trial[] {
  const steps = rungSteps(b)[rung];
  return rungSeeds(b, rung).map((seed) => ({
    id: trialId(v.id, steps, seed), variantId: v.id, rung, steps, seed,
    specText: v.specText, specFile, batch: b.batch, evalSamples: b.evalSamples,
  }));
}

/** The variants that go on from a finished rung: the best ⌈n/η⌉ that neither diverged nor failed. */
export function promote(
  entrants: Variant[], b: Budget, rung: number, results: Record<string, TrialResult>, measures: Measure[], specFile: string,
): Variant[] {
  const candidates = entrants.filter((v) => !isBaseline(v));
  const keep = Math.ceil(candidates.length / b.eta);
  const scored = candidates.flatMap((v) => {
    const rs = trialsOf(v, b, rung, specFile).map((t) => results[t.id]);
    const summary = rs.some(isFlagged) ? null : summarize(rs, measures);
    return summary ? [{ v, summary }] : [];
  });
  // Ties keep generation order (sort is stable), so the plan is deterministic.
  scored.sort((x, y) => compareSummaries(x.summary, y.summary, measures));
  const promoted = new Set(scored.slice(0, keep).map((s) => s.v.id));
  return entrants.filter((v) => isBaseline(v) || promoted.has(v.id));
}

export function planSearch(
  variants: Variant[], b: Budget, results: Record<string, TrialResult>, measures: Measure[], specFile: string,
): SearchPlan {
  const rungs: string[][] = [];
  let entrants = variants;
  const last = rungSteps(b).length - 1;
  for (let rung = 0; rung <= last; rung++) {
    rungs.push(entrants.map((v) => v.id));
    const pending = entrants.flatMap((v) => trialsOf(v, b, rung, specFile)).filter((t) => !results[t.id]);
    if (pending.length > 0) return { pending, rungs, done: false };
    if (rung < last) entrants = promote(entrants, b, rung, results, measures, specFile);
  }
  return { pending: [], rungs, done: true };
}

// Successive halving as a pure plan: rung sizes, promotion of the best 1/η, baselines everywhere,
// seeds in the last rung, diverged variants never promoted and ranked last; all from fake results.
import { describe, expect, it } from 'vitest';
import { rankVariants } from '../../src/search/ranking.js';
import { planSearch, rungSteps, type Budget } from '../../src/search/scheduler.js';
import { measuresFor } from '../../src/search/scores.js';
import type { Trial, TrialResult } from '../../src/search/trial.js';
import type { Variant } from '../../src/search/variants.js';

const measures = measuresFor('ring8');
const budget: Budget = { minSteps: 10, maxSteps: 90, eta: 3, seeds: 3, baseSeed: 0, evalSamples: 100 };

const variant = (id: string, kind: Variant['kind'] = 'variant'): Variant =>
  ({ id, kind, reg: `reg ${id}`, key: id, edits: [], duplicates: [], file: `${id}.gan`, specText: '' });

const variants = [variant('original', 'original'), variant('no-regularizer', 'no-regularizer'),
  ...Array.from({ length: 9 }, (_, i) => variant(`v00${i + 1}`))];

/** Variant vNNN covers NNN modes; v002 diverges at its first rung. */
function finish(trial: Trial): TrialResult {
  const n = trial.variantId.startsWith('v') ? Number(trial.variantId.slice(1)) : 4;
  const diverged = trial.variantId === 'v002' ? { step: 7, term: 'reg v002', value: NaN, message: 'diverged' } : null;
  return {
    trialId: trial.id, variantId: trial.variantId, rung: trial.rung, steps: trial.steps, seed: trial.seed,
    quality: diverged ? null : { modes: Math.min(n, 8), hq_share: n / 10 + trial.seed / 100 }, diverged, error: null,
    runDir: '', worker: 'test', seconds: 1,
  };
}

function runToEnd(): { results: Record<string, TrialResult>; rounds: Trial[][] } {
  const results: Record<string, TrialResult> = {};
  const rounds: Trial[][] = [];
  for (let plan = planSearch(variants, budget, results, measures, 'x.gan'); !plan.done; plan = planSearch(variants, budget, results, measures, 'x.gan')) {
    rounds.push(plan.pending);
    for (const t of plan.pending) results[t.id] = finish(t);
  }
  return { results, rounds };
}

describe('successive halving', () => {
  it('multiplies steps by η per rung up to the maximum', () => {
    expect(rungSteps(budget)).toEqual([10, 30, 90]);
    expect(rungSteps({ ...budget, maxSteps: 50 })).toEqual([10, 30, 50]);
    expect(rungSteps({ ...budget, minSteps: 90 })).toEqual([90]);
  });

  it('keeps the best third of each rung, baselines always, and the finalists get every seed', () => {
    const { rounds } = runToEnd();
    expect(rounds.map((r) => r.length)).toEqual([11, 3 + 2, (1 + 2) * 3]);
    expect(rounds[1].map((t) => t.variantId)).toEqual(['original', 'no-regularizer', 'v007', 'v008', 'v009']);
    expect(rounds[2].map((t) => `${t.variantId}/${t.seed}`)).toEqual([
      'original/0', 'original/1', 'original/2', 'no-regularizer/0', 'no-regularizer/1', 'no-regularizer/2', 'v009/0', 'v009/1', 'v009/2',
    ]);
    expect(new Set(rounds.flat().map((t) => t.id)).size).toBe(rounds.flat().length);
  });

  it('asks only for what has no result yet, so a restarted coordinator continues', () => {
    const { results } = runToEnd();
    const partial = Object.fromEntries(Object.entries(results).filter(([id]) => !id.includes('.s90.seed2')));
    const plan = planSearch(variants, budget, partial, measures, 'x.gan');
    expect(plan.pending.map((t) => t.id).sort()).toEqual(['no-regularizer.s90.seed2', 'original.s90.seed2', 'v009.s90.seed2']);
  });

  it('ranks by rung reached, then score; a diverged variant is last with its step and term', () => {
    const { results } = runToEnd();
    const rungs = planSearch(variants, budget, results, measures, 'x.gan').rungs;
    const ranking = rankVariants(variants, rungs, budget, results, measures, 'x.gan');
    expect(ranking.map((r) => r.id)).toEqual(['v009', 'original', 'no-regularizer', 'v008', 'v007', 'v006', 'v005', 'v004', 'v003', 'v001', 'v002']);
    expect(ranking[0]).toMatchObject({ budget: [10, 30, 90], seeds: [0, 1, 2] });
    expect(ranking[0].scores!.mean.hq_share).toBeCloseTo(0.91);
    expect(ranking[0].scores!.std.hq_share).toBeCloseTo(0.01);
    expect(ranking.at(-1)!.flags).toEqual([{ trialId: 'v002.s10.seed0', steps: 10, seed: 0, what: 'diverged at step 7: reg v002 is NaN' }]);
  });
});

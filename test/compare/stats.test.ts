// src/compare/stats.ts against numbers computed independently: scipy 1.17 (fixtures/stats-reference.json,
// made by scripts/compare-stats-reference.py, which records its versions) and textbook values by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bootstrapDiffInterval, covers, incompleteBeta, quantileSorted, summarize, tQuantile, tSurvival, welchTest,
} from '../../src/compare/stats.js';

interface Reference {
  t_quantile_975: { df: number; value: number }[];
  t_quantile: { p: number; df: number; value: number }[];
  t_survival: { t: number; df: number; value: number }[];
  incomplete_beta: { x: number; a: number; b: number; value: number }[];
  summaries: Record<string, { n: number; mean: number; sd: number; ci95: [number, number] }>;
  welch: { a: string; b: string; diff: number; t: number; df: number; p: number; ci95: [number, number] }[];
  samples: Record<string, number[]>;
}

const REF = JSON.parse(readFileSync(new URL('./fixtures/stats-reference.json', import.meta.url), 'utf8')) as Reference;

/** Agreement to `digits` significant digits. */
function close(actual: number, expected: number, digits = 10): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(Math.abs(expected), 1e-300) * 10 ** -digits);
}

describe('Student t distribution (scipy)', () => {
  it.each(REF.t_quantile_975)('t(0.975, df=$df) = $value', ({ df, value }) => close(tQuantile(0.975, df), value));
  it.each(REF.t_quantile)('t($p, df=$df) = $value', ({ p, df, value }) => close(tQuantile(p, df), value));
  it.each(REF.t_survival)('P(T > $t | df=$df) = $value', ({ t, df, value }) => close(tSurvival(t, df), value));
  it.each(REF.incomplete_beta)('I_$x($a, $b) = $value', ({ x, a, b, value }) => close(incompleteBeta(x, a, b), value));

  it('textbook values: t(0.975) is 12.706 at df 1, 2.228 at df 10, and tends to 1.960', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.95996, 4);
    // df = 1 is the Cauchy distribution: P(T > 1) = 1/4 exactly.
    expect(tSurvival(1, 1)).toBeCloseTo(0.25, 14);
  });
});

describe('a cell: mean, sd, t-based 95% interval (scipy)', () => {
  it.each(Object.entries(REF.summaries))('%s', (name, want) => {
    const got = summarize(REF.samples[name])!;
    expect(got.n).toBe(want.n);
    close(got.mean, want.mean, 12);
    close(got.sd!, want.sd, 12);
    close(got.ci95!.low, want.ci95[0]);
    close(got.ci95!.high, want.ci95[1]);
  });

  it('one value has a mean and no spread; none has nothing', () => {
    expect(summarize([3])).toEqual({ n: 1, mean: 3, sd: null, ci95: null });
    expect(summarize([])).toBeNull();
  });
});

describe("Welch's t-test (scipy.stats.ttest_ind, equal_var=False)", () => {
  it.each(REF.welch)('$a vs $b', (want) => {
    const got = welchTest(REF.samples[want.a], REF.samples[want.b])!;
    close(got.diff, want.diff, 12);
    close(got.t, want.t);
    close(got.df, want.df);
    close(got.p, want.p, 9);
    close(got.ci95.low, want.ci95[0]);
    close(got.ci95.high, want.ci95[1]);
    // The interval covers 0 exactly when the test does not reject at 5%.
    expect(covers(got.ci95, 0)).toBe(got.p >= 0.05);
  });

  it('by hand: [1,2,3] vs [4,5,6] has diff −3, se √(2/3), t −3.674, df 4', () => {
    const w = welchTest([1, 2, 3], [4, 5, 6])!;
    expect(w.diff).toBe(-3);
    expect(w.t).toBeCloseTo(-3 / Math.sqrt(2 / 3), 12);
    expect(w.df).toBeCloseTo(4, 12);
    // t(0.975, 4) = 2.776445: the interval is −3 ± 2.776445·0.816497.
    expect(w.ci95.low).toBeCloseTo(-3 - 2.776445 * Math.sqrt(2 / 3), 5);
  });

  it('no spread on either side: the difference is exact', () => {
    expect(welchTest([1, 1, 1], [1, 1])).toMatchObject({ diff: 0, p: 1, ci95: { low: 0, high: 0 } });
    expect(welchTest([1, 1], [0.5, 0.5])).toMatchObject({ diff: 0.5, p: 0, ci95: { low: 0.5, high: 0.5 } });
  });

  it('needs two values on each side', () => {
    expect(welchTest([1], [2, 3])).toBeNull();
  });
});

describe('bootstrap interval of a difference of means', () => {
  it('by hand: a = [1, 2], b = [0] resamples mean(a) to 1, 1.5, 2 with probabilities ¼, ½, ¼', () => {
    // The 2.5% and 97.5% percentiles of that distribution are its ends.
    expect(bootstrapDiffInterval([1, 2], [0])).toEqual({ low: 1, high: 2 });
  });

  it('is the same for the same data, and close to Welch for many values', () => {
    const a = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 3 + 10);
    const b = Array.from({ length: 200 }, (_, i) => Math.cos(i * 78.233) * 3 + 9);
    const boot = bootstrapDiffInterval(a, b)!;
    expect(bootstrapDiffInterval(a, b)).toEqual(boot);
    const welch = welchTest(a, b)!;
    expect(boot.low).toBeCloseTo(welch.ci95.low, 1);
    expect(boot.high).toBeCloseTo(welch.ci95.high, 1);
  });

  it('numpy-style quantiles interpolate between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });
});

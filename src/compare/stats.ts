// The statistics of a comparison: a cell's mean, sample standard deviation and t-based 95% interval over
// seeds, and a method against a baseline by Welch's t-test (unequal variances) with the interval of the
// difference of means, plus a percentile bootstrap interval of that difference. Pure functions; the
// Student t distribution comes from the regularized incomplete beta function (continued fraction, as in
// Numerical Recipes §6.4), checked against scipy in test/compare/stats.test.ts.
import { Rng } from '../runtime/rng.js';

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample variance (n − 1 in the denominator); NaN below two values. */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

export const sd = (xs: readonly number[]): number => Math.sqrt(variance(xs));

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of I_x(a, b) by the modified Lentz method. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) return h;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast on this side of the mean; the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) covers the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T > t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function tSurvival(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom, 0 < p < 1 (bisection on the survival function). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const tail = 1 - p;
  let lo = 0;
  let hi = 1;
  while (tSurvival(hi, df) > tail) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tSurvival(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  low: number;
  high: number;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation; null for one value. */
  sd: number | null;
  /** mean ± t(0.975, n − 1) · sd / √n; null for one value. */
  ci95: Interval | null;
}

export function summarize(values: readonly number[]): Summary | null {
  const n = values.length;
  if (n === 0) return null;
  const m = mean(values);
  if (n === 1) return { n, mean: m, sd: null, ci95: null };
  const s = sd(values);
  const half = tQuantile(0.975, n - 1) * (s / Math.sqrt(n));
  return { n, mean: m, sd: s, ci95: { low: m - half, high: m + half } };
}

export interface WelchTest {
  /** mean(a) − mean(b). */
  diff: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** 95% interval of the difference of means: diff ± t(0.975, df) · se. */
  ci95: Interval;
}

/**
 * Welch's two-sample t-test of a against b (as scipy.stats.ttest_ind(a, b, equal_var=False)). Needs two
 * values on each side. Both sides without spread: the difference is exact (an interval of one point).
 */
export function welchTest(a: readonly number[], b: readonly number[]): WelchTest | null {
  if (a.length < 2 || b.length < 2) return null;
  const diff = mean(a) - mean(b);
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: NaN, p: diff === 0 ? 1 : 0, ci95: { low: diff, high: diff } };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = diff / se;
  const half = tQuantile(0.975, df) * se;
  return { diff, t, df, p: Math.min(1, 2 * tSurvival(Math.abs(t), df)), ci95: { low: diff - half, high: diff + half } };
}

/** The q-quantile of sorted values by linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 20261201;

/**
 * Percentile bootstrap 95% interval of mean(a) − mean(b): each side resampled with replacement on its
 * own, `resamples` times, from a fixed seed (the same data always give the same interval). With a
 * handful of values per side it is too narrow (few distinct resamples), which is why verdicts use Welch.
 */
export function bootstrapDiffInterval(
  a: readonly number[], b: readonly number[], resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED,
): Interval | null {
  if (a.length < 1 || b.length < 1) return null;
  const rng = Rng.fromSeed(seed);
  const resampledMean = (xs: readonly number[]): number => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[rng.int(xs.length)];
    return s / xs.length;
  };
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) diffs[r] = resampledMean(a) - resampledMean(b);
  const sorted = Array.from(diffs.sort());
  return { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975) };
}

export const covers = (interval: Interval, x: number): boolean => interval.low <= x && x <= interval.high;

// How a data set's quality measures rank runs, and the mean ± spread of a variant over seeds.
import type { DataKind } from '../ir/ir.js';
import type { TrialResult } from './trial.js';

export interface Measure {
  name: string;
  better: 'higher' | 'lower';
}

/** In order of importance: later measures only break ties of earlier ones. */
export function measuresFor(kind: DataKind): Measure[] {
  switch (kind) {
    case 'ring8': case 'grid25':
      return [{ name: 'modes', better: 'higher' }, { name: 'hq_share', better: 'higher' }];
    case 'mnist': case 'mnist-idx':
      return [{ name: 'fd_lenet', better: 'lower' }, { name: 'class_coverage', better: 'higher' }];
    case 'folder':
    case 'cifar10':
      return [{ name: 'fd_randproj', better: 'lower' }];
  }
}

export interface ScoreSummary {
  /** Seeds that finished with a score. */
  n: number;
  mean: Record<string, number>;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: Record<string, number>;
}

export function summarize(results: TrialResult[], measures: Measure[]): ScoreSummary | null {
  const scored = results.filter((r) => r.quality !== null);
  if (scored.length === 0) return null;
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const { name } of measures) {
    const values = scored.map((r) => r.quality![name]).filter((v) => Number.isFinite(v));
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    mean[name] = m;
    std[name] = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)) : 0;
  }
  return { n: scored.length, mean, std };
}

/** Negative when `a` is better than `b`; compares means, measure by measure. */
export function compareSummaries(a: ScoreSummary, b: ScoreSummary, measures: Measure[]): number {
  for (const { name, better } of measures) {
    const x = a.mean[name];
    const y = b.mean[name];
    if (x === y || (!Number.isFinite(x) && !Number.isFinite(y))) continue;
    if (!Number.isFinite(x)) return 1;
    if (!Number.isFinite(y)) return -1;
    return better === 'higher' ? y - x : x - y;
  }
  return 0;
}

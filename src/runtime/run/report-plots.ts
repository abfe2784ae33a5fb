// Line charts for the reports: loss, term and quality curves over steps, as data for the page's script
// (report-page.ts), which draws them with vega-lite. Here: thinning long curves, choosing a y scale that
// reads (log or symlog when values span decades), and one colour per curve that stays the same in every
// chart of a page (a run keeps its colour across the comparison page).

/** One named curve: [step, value] pairs in step order. */
export interface Series {
  name: string;
  points: [number, number][];
}

export type YScale = 'linear' | 'log' | 'symlog';

/** A chart as the page script takes it (JSON). */
export interface LineChart {
  title: string;
  yTitle: string;
  series: Series[];
  /** Draw a dot at each point: for sparse curves such as quality metrics evaluated now and then. */
  points: boolean;
  /** Offer the smoothing slider's moving average (noisy per-step curves; not sparse ones). */
  smooth: boolean;
  scale: YScale;
  /** Steps the x axis spans; a page gives every chart the same range so that charts line up. */
  stepRange?: [number, number];
  /** Set only for a constant curve, which would otherwise get an empty y range. */
  yDomain?: [number, number];
  /** Every curve name of the page and its colour: the legend and colours agree across charts. */
  colors: { domain: string[]; range: string[] };
  /** Show a legend (charts with several curves). */
  legend: boolean;
  /** What a curve is, in the tooltip: `series` or `run`. */
  seriesTitle: string;
  width?: number;
}

/** More points than this per curve are reduced (keeping each bucket's extremes) to keep pages small. */
export const MAX_POINTS_PER_SERIES = 1500;

/** Tableau 10: distinct, readable on white, the usual choice for a handful of overlaid runs. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function colorsFor(names: string[]): { domain: string[]; range: string[] } {
  return { domain: names, range: names.map((_, i) => PALETTE[i % PALETTE.length]) };
}

export interface ChartInput {
  title: string;
  yTitle: string;
  series: Series[];
  sparse?: boolean;
  stepRange?: [number, number];
  colors?: { domain: string[]; range: string[] };
  legend?: boolean;
  seriesTitle?: string;
  width?: number;
}

/** Finite points only (JSON has no NaN; the key figures name the first non-finite value), thinned. */
export function lineChart(input: ChartInput): LineChart {
  const series = input.series
    .map(({ name, points }) => ({ name, points: reduceToExtremes(points.filter(([s, v]) => Number.isFinite(s) && Number.isFinite(v)), MAX_POINTS_PER_SERIES) }))
    .filter((s) => s.points.length > 0);
  const names = series.map((s) => s.name);
  const values = series.flatMap((s) => s.points.map(([, v]) => v));
  const constant = values.length > 0 && values.every((v) => v === values[0]);
  const margin = Math.max(1, Math.abs(values[0] ?? 0)) / 2;
  return {
    title: input.title,
    yTitle: input.yTitle,
    series,
    points: input.sparse ?? false,
    smooth: !(input.sparse ?? false),
    scale: yScaleFor(values),
    ...(input.stepRange ? { stepRange: input.stepRange } : {}),
    ...(constant ? { yDomain: [values[0] - margin, values[0] + margin] as [number, number] } : {}),
    colors: input.colors ?? colorsFor(names),
    legend: input.legend ?? names.length > 1,
    seriesTitle: input.seriesTitle ?? 'series',
    ...(input.width ? { width: input.width } : {}),
  };
}

/**
 * Log when every value is positive and they span at least two decades (a loss falling from 10 to 0.01);
 * symlog (linear near zero, logarithmic beyond) when values of both signs or zeros have a few far larger
 * than the typical one (a cubed regularizer with spikes); otherwise linear.
 */
export function yScaleFor(values: number[]): YScale {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return 'linear';
  const magnitudes = finite.map(Math.abs).sort((a, b) => a - b);
  const largest = magnitudes.at(-1)!;
  if (finite.every((v) => v > 0)) return largest / magnitudes[0] >= 100 ? 'log' : 'linear';
  const typical = magnitudes[Math.floor(magnitudes.length / 2)];
  return typical > 0 && largest / typical >= 100 && largest > 10 ? 'symlog' : 'linear';
}

/**
 * At most ~`limit` points: consecutive buckets each contribute their lowest and highest point, in step
 * order, so a one-step loss spike survives (taking every k-th point would hide it).
 */
export function reduceToExtremes(points: [number, number][], limit: number): [number, number][] {
  if (points.length <= limit) return points;
  const bucketSize = Math.ceil(points.length / Math.floor(limit / 2));
  const reduced: [number, number][] = [];
  for (let start = 0; start < points.length; start += bucketSize) {
    const bucket = points.slice(start, start + bucketSize);
    let low = bucket[0];
    let high = bucket[0];
    for (const p of bucket) {
      if (p[1] < low[1]) low = p;
      if (p[1] > high[1]) high = p;
    }
    if (low === high) reduced.push(low);
    else reduced.push(...(low[0] < high[0] ? [low, high] : [high, low]));
  }
  return reduced;
}

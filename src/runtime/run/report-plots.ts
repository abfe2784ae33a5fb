// Line charts for report.html: loss, term and quality curves over steps, drawn by vega-lite.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, renderVegaLiteSvg } from './vega-svg.js';

/** One named curve: [step, value] pairs in step order. */
export interface Series {
  name: string;
  points: [number, number][];
}

export interface LineChart {
  title: string;
  yTitle: string;
  series: Series[];
  /** Draw a dot at each point: for sparse curves such as quality metrics evaluated now and then. */
  showPoints?: boolean;
  /** Steps the x axis spans; the report gives every chart the run's range so that charts line up. */
  stepRange?: [number, number];
}

/** More points than this per curve are reduced (keeping each bucket's extremes) to keep SVGs small. */
export const MAX_POINTS_PER_SERIES = 1500;

export async function renderLineChartSvg(chart: LineChart): Promise<string> {
  const values = chart.series.flatMap(({ name, points }) =>
    reduceToExtremes(points.filter(([, v]) => Number.isFinite(v)), MAX_POINTS_PER_SERIES).map(([step, value]) => ({ step, value, series: name })),
  );
  const multiple = chart.series.length > 1;
  const spec: TopLevelSpec = {
    title: { text: chart.title, anchor: 'start', fontSize: 14 },
    width: 440,
    height: 200,
    data: { values },
    mark: { type: 'line', point: chart.showPoints ?? false, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', ...(chart.stepRange ? { scale: { domain: chart.stepRange } } : {}) },
      y: { field: 'value', type: 'quantitative', title: chart.yTitle, scale: { zero: false } },
      ...(multiple ? { color: { field: 'series', type: 'nominal', title: null } } : {}),
    },
    config: CHART_CONFIG,
  };
  return renderVegaLiteSvg(spec);
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

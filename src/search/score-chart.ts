// A bar chart of search.html: each ranked variant's mean score on one quality measure, with its
// spread over seeds, rendered by vega-lite to an inline SVG (no JavaScript in the page).
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, renderVegaLiteSvg } from '../runtime/run/vega-svg.js';
import type { RankedVariant } from './ranking.js';
import type { Measure } from './scores.js';

export async function renderScoreChartSvg(ranking: RankedVariant[], measure: Measure): Promise<string> {
  const values = ranking.filter((r) => r.scores).map((r) => {
    const mean = r.scores!.mean[measure.name];
    const std = r.scores!.std[measure.name];
    return { label: `${r.rank}. ${r.id}: ${r.reg}`, mean, low: mean - std, high: mean + std, baseline: r.kind !== 'variant' };
  });
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 360 } } as const;
  const spec: TopLevelSpec = {
    title: { text: `${measure.name} (${measure.better} is better), mean ± std over seeds`, anchor: 'start', fontSize: 14 },
    width: 360,
    data: { values },
    layer: [
      { mark: 'bar', encoding: { y, x: { field: 'mean', type: 'quantitative', title: measure.name },
        color: { field: 'baseline', type: 'nominal', title: 'baseline' } } },
      { mark: { type: 'rule', color: 'black' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
    ],
    config: CHART_CONFIG,
  };
  return renderVegaLiteSvg(spec);
}

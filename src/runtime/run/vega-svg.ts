// Renders a vega-lite chart to SVG in Node, so pages that show it need no JavaScript and no network.
// vega is loaded on first use: it is large, and only reports need it.
import type { TopLevelSpec } from 'vega-lite';

/** The look every ganc chart shares. */
export const CHART_CONFIG = { font: 'system-ui, sans-serif', view: { stroke: '#ddd' } } as const;

export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

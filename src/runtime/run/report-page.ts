// The HTML page every ganc report shares (a run's report.html, the comparison page of `ganc report A B`):
// the look, a smoothing slider, and interactive plots. Plots are drawn in the browser by vega and vega-lite,
// whose builds are inlined from node_modules together with the curves' data, so a page needs no network and
// no server (it is opened as a file, also while training rewrites it). Curves get a hover tooltip with the
// step and value, an exponential moving average under the slider (the raw curve stays faint behind), and a
// log or symlog y axis when their values span decades (decided here, from the data).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LineChart } from './report-plots.js';

export interface PageOptions {
  title: string;
  /** HTML of the header below the title. */
  subtitle: string;
  /** Section HTML; plots are `plotHtml(i)` placeholders for `charts[i]`. */
  sections: string[];
  charts: LineChart[];
  /** Initial smoothing in [0, 1): the weight of the past in the moving average (TensorBoard's slider). */
  smoothing: number;
  /** Seconds between reloads while the page describes a run still in training; none when absent. */
  reloadSeconds?: number;
}

/** Default smoothing of noisy curves (loss, terms): TensorBoard's default. */
export const DEFAULT_SMOOTHING = 0.6;

/** The placeholder the page script draws `charts[index]` into. */
export function plotHtml(index: number): string {
  return `<figure class="chart" data-chart="${index}"></figure>`;
}

export function pageHtml(page: PageOptions): string {
  const data = { smoothing: page.smoothing, charts: page.charts };
  const reload = page.reloadSeconds ? `\n<meta http-equiv="refresh" content="${page.reloadSeconds}">` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${reload}
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(page.title.split(' · ')[0])}</h1>
<p class="subtitle">${page.subtitle}</p>
${page.charts.length > 0 ? CONTROLS : ''}
</header>
<noscript><p class="empty">The plots are drawn by JavaScript inlined in this page (no network needed); enable JavaScript to see them.</p></noscript>
<main>
${page.sections.join('\n')}
</main>
<div id="ganc-tooltip" class="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="ganc-data">${scriptSafe(JSON.stringify(data))}</script>
${page.charts.length > 0 ? `<script>${vegaScripts()}</script>\n<script>${CLIENT_SCRIPT}</script>` : ''}
</body>
</html>
`;
}

const CONTROLS = `<div class="controls">
<label>smoothing <input id="smoothing" type="range" min="0" max="0.99" step="0.01"> <output id="smoothing-value"></output></label>
<span class="hint">moving average of noisy curves (faint: raw values) · hover a curve for its values</span>
</div>`;

let vegaSource: string | undefined;

/** vega's and vega-lite's browser builds, read once per process. */
function vegaScripts(): string {
  if (vegaSource === undefined) {
    const require = createRequire(import.meta.url);
    // Only these two files are exported by the packages; the browser builds sit beside them.
    const vegaBuild = dirname(require.resolve('vega/vega-schema.json'));
    const vegaLiteBuild = dirname(require.resolve('vega-lite/vega-lite-schema.json'));
    vegaSource = `${readFileSync(join(vegaBuild, 'vega.min.js'), 'utf8')}\n${readFileSync(join(vegaLiteBuild, 'vega-lite.min.js'), 'utf8')}`;
    vegaSource = scriptSafe(vegaSource);
  }
  return vegaSource;
}

/** Text that cannot end the <script> element it sits in. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function section(heading: string, body: string, id?: string): string {
  return `<section${id ? ` id="${id}"` : ''}><h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

// The page's own script: plain ES2017 for any browser, no imports. It reads the charts from #ganc-data,
// draws each with vega-lite, and redraws the smoothed curves when the slider moves. The slider's value
// survives the live page's reloads through sessionStorage (per page, per tab).
const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ganc-data').textContent);
  var slider = document.getElementById('smoothing');
  var shown = document.getElementById('smoothing-value');
  var tip = document.getElementById('ganc-tooltip');
  var key = 'ganc-smoothing:' + location.pathname;
  var smoothing = data.smoothing;
  try {
    var kept = sessionStorage.getItem(key);
    if (kept !== null && isFinite(Number(kept))) smoothing = Number(kept);
  } catch (e) { /* storage refused (private mode): the default it is */ }
  var views = [];

  // TensorBoard's debiased exponential moving average: early points are not pulled towards zero.
  function smooth(points, weight) {
    var last = 0, n = 0, out = [];
    for (var i = 0; i < points.length; i++) {
      if (weight <= 0) { out.push(points[i][1]); continue; }
      last = last * weight + (1 - weight) * points[i][1];
      n++;
      out.push(last / (1 - Math.pow(weight, n)));
    }
    return out;
  }

  function rows(chart) {
    var out = [];
    chart.series.forEach(function (s) {
      var values = chart.smooth ? smooth(s.points, smoothing) : null;
      s.points.forEach(function (p, i) {
        out.push({ step: p[0], raw: p[1], value: values ? values[i] : p[1], series: s.name });
      });
    });
    return out;
  }

  // Short names fit beside the plot; run names (long) go below it, one a line.
  function legend(chart) {
    var longest = Math.max.apply(null, chart.colors.domain.map(function (n) { return n.length; }));
    return { orient: longest <= 16 ? 'right' : 'bottom', direction: 'vertical', labelLimit: 600, symbolStrokeWidth: 3, symbolOpacity: 1 };
  }

  function spec(chart) {
    var x = { field: 'step', type: 'quantitative', title: 'step', scale: chart.stepRange ? { domain: chart.stepRange } : {} };
    var yScale = chart.scale === 'linear' ? { zero: false } : { type: chart.scale };
    if (chart.yDomain) yScale.domain = chart.yDomain;
    // Log axes label every power's multiples unless told otherwise: keep labels apart.
    var axis = { labelOverlap: 'greedy', tickCount: chart.scale === 'linear' ? undefined : 6 };
    function y(field) { return { field: field, type: 'quantitative', title: chart.yTitle, scale: yScale, axis: axis }; }
    var color = {
      field: 'series', type: 'nominal', title: null,
      scale: { domain: chart.colors.domain, range: chart.colors.range },
      legend: chart.legend ? legend(chart) : null,
    };
    var tooltip = [
      { field: 'series', type: 'nominal', title: chart.seriesTitle },
      { field: 'step', type: 'quantitative', title: 'step' },
      { field: 'value', type: 'quantitative', title: chart.smooth ? 'smoothed' : 'value', format: '.5~g' },
    ];
    if (chart.smooth) tooltip.push({ field: 'raw', type: 'quantitative', title: 'raw', format: '.5~g' });
    var layers = [];
    if (chart.smooth) layers.push({ mark: { type: 'line', strokeWidth: 1, opacity: 0.25, clip: true }, encoding: { x: x, y: y('raw'), color: color } });
    layers.push({ mark: { type: 'line', strokeWidth: 1.6, point: chart.points, clip: true }, encoding: { x: x, y: y('value'), color: color } });
    layers.push({
      mark: { type: 'point', filled: true, size: 50, clip: true },
      params: [{ name: 'hover', select: { type: 'point', on: 'pointermove', nearest: true, clear: 'pointerout' } }],
      encoding: { x: x, y: y('value'), color: color, opacity: { condition: { param: 'hover', empty: false, value: 1 }, value: 0 }, tooltip: tooltip },
    });
    return {
      title: { text: chart.title, subtitle: chart.scale === 'linear' ? undefined : chart.scale + ' scale', anchor: 'start', fontSize: 14 },
      width: chart.width || 440, height: 200,
      data: { name: 'table' },
      layer: layers,
      config: { font: 'system-ui, sans-serif', view: { stroke: '#ddd' } },
    };
  }

  function showTip(handler, event, item, value) {
    if (value === null || value === undefined || value === '' || !event) { tip.hidden = true; return; }
    tip.textContent = '';
    var entries = typeof value === 'object' ? Object.keys(value).map(function (k) { return [k, value[k]]; }) : [['', value]];
    entries.forEach(function (entry) {
      var row = document.createElement('div');
      var name = document.createElement('b');
      name.textContent = entry[0] ? entry[0] + ' ' : '';
      row.appendChild(name);
      row.appendChild(document.createTextNode(String(entry[1])));
      tip.appendChild(row);
    });
    tip.hidden = false;
    tip.style.left = (event.clientX + window.scrollX + 14) + 'px';
    tip.style.top = (event.clientY + window.scrollY + 14) + 'px';
  }

  function draw(figure) {
    var chart = data.charts[Number(figure.getAttribute('data-chart'))];
    var view = new vega.View(vega.parse(vegaLite.compile(spec(chart)).spec), { renderer: 'svg', container: figure, hover: true });
    view.tooltip(showTip);
    view.data('table', rows(chart));
    views.push({ chart: chart, view: view });
    return view.runAsync();
  }

  function setSmoothing(value) {
    smoothing = value;
    if (slider) slider.value = String(value);
    if (shown) shown.textContent = value.toFixed(2);
  }

  setSmoothing(smoothing);
  if (slider) {
    slider.addEventListener('input', function () {
      setSmoothing(Number(slider.value));
      try { sessionStorage.setItem(key, String(smoothing)); } catch (e) { /* not kept: fine */ }
      views.forEach(function (v) { if (v.chart.smooth) v.view.data('table', rows(v.chart)).runAsync(); });
    });
  }
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure.chart[data-chart]'));
  Promise.all(figures.map(draw)).then(function () { document.body.setAttribute('data-plots', 'drawn'); });
})();`;

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f7f9; margin: 0; }
header { background: #fff; border-bottom: 1px solid #e1e4e8; padding: 20px 32px 12px; position: sticky; top: 0; z-index: 2; }
h1 { margin: 0; font-size: 26px; }
.subtitle { margin: 4px 0 0; color: #57606a; }
.controls { margin-top: 8px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; color: #57606a; font-size: 14px; }
.controls input { vertical-align: middle; width: 180px; }
.controls output { display: inline-block; min-width: 2.5em; font-variant-numeric: tabular-nums; color: #1f2328; }
.hint { font-size: 13px; }
main { max-width: 1500px; padding: 8px 32px 40px; }
section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; margin: 20px 0; padding: 8px 20px 16px; }
h2 { font-size: 18px; margin: 8px 0 12px; }
table.figures { border-collapse: collapse; }
table.figures th { text-align: left; font-weight: 600; color: #57606a; padding: 4px 24px 4px 0; vertical-align: top; white-space: nowrap; }
table.figures td { padding: 4px 0; }
table.runs { border-collapse: collapse; font-size: 14px; }
table.runs th, table.runs td { text-align: left; padding: 4px 16px 4px 0; vertical-align: top; }
table.runs th { color: #57606a; font-weight: 600; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px; margin-right: 6px; }
dl.definitions { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; color: #57606a; font-size: 14px; }
dl.definitions dt { font-weight: 600; }
dl.definitions dd { margin: 0; }
.bad { color: #cf222e; font-weight: 600; }
.status-training { color: #9a6700; font-weight: 600; }
.status-interrupted, .status-diverged { color: #cf222e; font-weight: 600; }
.status-finished { color: #1a7f37; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 28px; }
figure { margin: 0; }
figure.chart { min-width: 300px; min-height: 240px; }
.samples { display: flex; flex-wrap: wrap; gap: 16px; }
.sample img { display: block; border: 1px solid #d0d7de; }
img.pixelated { image-rendering: pixelated; }
figcaption { color: #57606a; font-size: 13px; text-align: center; margin-top: 4px; }
.note, .empty { color: #57606a; margin-top: 0; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 13px; }
code { font-size: 13px; }
pre.diff { padding: 8px 0; }
pre.diff span { display: block; padding: 0 12px; white-space: pre; }
pre.diff .added { background: #dafbe1; }
pre.diff .removed { background: #ffebe9; }
pre.diff .same { color: #57606a; }
.tooltip { position: absolute; z-index: 5; background: rgba(255,255,255,0.97); border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px; font-size: 13px; box-shadow: 0 2px 8px rgba(0,0,0,0.12); pointer-events: none; font-variant-numeric: tabular-nums; }
.tooltip b { color: #57606a; font-weight: 600; }
`;

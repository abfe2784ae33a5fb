// compare.html: the comparison as a page that works offline, like report.html. Charts are vega-lite
// rendered to inline SVG here (no script in the page): quality over training per method (mean line over
// seeds, band from the lowest to the highest seed), grouped bars per data fraction (mean, 95% interval,
// every seed as a dot), the final sample grid of each method and fraction (inlined as data: URIs, so the
// page can be moved on its own), and the specs side by side with the lines that differ highlighted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { readMetrics } from '../runtime/run/metrics-log.js';
import { diffLines } from '../runtime/run/report-diff.js';
import { METRICS_FILE, SAMPLES_DIR } from '../runtime/run/run-dir.js';
import { CHART_CONFIG, renderVegaLiteSvg } from '../runtime/run/vega-svg.js';
import type { Measure } from '../search/scores.js';
import { BASELINE_NOTE, gridLine, INTERVAL_NOTE, wallLine, type CompareDocument, type MethodInfo } from './output.js';
import { describeProtocol } from './protocol.js';
import type { RunRecord } from './records.js';
import { comparisonRows, formatFraction, measureRows, unfinishedRuns, type CompareTable } from './table.js';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(rows: string[][], className = ''): string {
  const [head, ...body] = rows;
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n`
    + body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
    + '\n</tbody></table>';
}

const figure = (svg: string, caption: string): string => `<figure class="chart">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;

/** Bars of each method's mean, grouped by data fraction, with the 95% interval and each seed's value. */
async function barChart(table: CompareTable, measure: Measure): Promise<string | null> {
  const fractionOrder = table.fractions.map(formatFraction);
  const bars = table.cells.flatMap((c) => {
    const s = c.measures[measure.name].summary;
    return s ? [{ method: c.method, fraction: formatFraction(c.fraction), mean: s.mean, low: s.ci95?.low ?? s.mean, high: s.ci95?.high ?? s.mean }] : [];
  });
  if (bars.length === 0) return null;
  const dots = table.cells.flatMap((c) => c.measures[measure.name].values.flatMap((v, i) =>
    (v === null ? [] : [{ method: c.method, fraction: formatFraction(c.fraction), value: v, seed: c.seeds[i] }])));
  const x = { field: 'fraction', type: 'nominal', sort: fractionOrder, title: 'share of the training data', axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'method', type: 'nominal', sort: table.methods } as const;
  const color = { field: 'method', type: 'nominal', sort: table.methods, title: 'method' } as const;
  const spec: TopLevelSpec = {
    title: { text: `${measure.name} (${measure.better} is better): mean, 95% interval, each seed`, anchor: 'start', fontSize: 14 },
    width: Math.max(360, 40 * bars.length), height: 240,
    layer: [
      { data: { values: bars }, mark: 'bar', encoding: { x, xOffset, color, y: { field: 'mean', type: 'quantitative', title: measure.name } } },
      { data: { values: bars }, mark: { type: 'rule', color: 'black' }, encoding: { x, xOffset, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { data: { values: dots }, mark: { type: 'point', filled: true, color: 'black', size: 16 }, encoding: { x, xOffset, y: { field: 'value', type: 'quantitative' } } },
    ],
    config: CHART_CONFIG,
  };
  return renderVegaLiteSvg(spec);
}

interface CurvePoint {
  method: string;
  seed: number;
  step: number;
  value: number;
}

/** The quality values each run logged during training (metrics.jsonl), per measure. */
function curvePoints(runs: RunRecord[], measure: string): CurvePoint[] {
  return runs.flatMap((r) => {
    const file = r.runDir ? join(r.runDir, METRICS_FILE) : null;
    if (!file || !existsSync(file)) return [];
    try {
      return readMetrics(file).flatMap((e) => {
        const v = e.quality?.[measure];
        return v !== undefined && Number.isFinite(v) ? [{ method: r.method, seed: r.seed, step: e.step, value: v }] : [];
      });
    } catch {
      return [];
    }
  });
}

/** Mean over seeds at each logged step, with the lowest and highest seed as a band. */
async function curveChart(table: CompareTable, measure: Measure, fraction: number): Promise<string | null> {
  const runs = table.cells.filter((c) => c.fraction === fraction).flatMap((c) => c.runs);
  const byKey = new Map<string, { method: string; step: number; values: number[] }>();
  for (const p of curvePoints(runs, measure.name)) {
    const key = `${p.method}\u0000${p.step}`;
    const entry = byKey.get(key) ?? { method: p.method, step: p.step, values: [] };
    entry.values.push(p.value);
    byKey.set(key, entry);
  }
  const values = [...byKey.values()].map((e) => ({
    method: e.method, step: e.step, seeds: e.values.length,
    mean: e.values.reduce((s, v) => s + v, 0) / e.values.length, low: Math.min(...e.values), high: Math.max(...e.values),
  })).sort((a, b) => a.step - b.step);
  if (values.length === 0) return null;
  const x = { field: 'step', type: 'quantitative', title: 'step' } as const;
  const color = { field: 'method', type: 'nominal', sort: table.methods, title: 'method' } as const;
  const spec: TopLevelSpec = {
    title: { text: `${measure.name} during training, ${formatFraction(fraction)} of the data`, anchor: 'start', fontSize: 14 },
    width: 420, height: 220,
    data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x, color, y: { field: 'low', type: 'quantitative', title: measure.name }, y2: { field: 'high' } } },
      { mark: { type: 'line', point: true }, encoding: { x, color, y: { field: 'mean', type: 'quantitative' } } },
    ],
    config: CHART_CONFIG,
  };
  return renderVegaLiteSvg(spec);
}

/** The run's last sample grid as a data: URI. */
function lastSampleGrid(runDir: string | null): string | null {
  const dir = runDir ? join(runDir, SAMPLES_DIR) : null;
  if (!dir || !existsSync(dir)) return null;
  const last = readdirSync(dir).filter((f) => /^step-\d+\.png$/.test(f)).sort().at(-1);
  return last ? `data:image/png;base64,${readFileSync(join(dir, last)).toString('base64')}` : null;
}

function samplesHtml(table: CompareTable): string {
  const head = `<tr><th>method</th>${table.fractions.map((f) => `<th>${escapeHtml(formatFraction(f))}</th>`).join('')}</tr>`;
  const rows = table.methods.map((method) => {
    const cells = table.fractions.map((fraction) => {
      const runs = table.cells.find((c) => c.method === method && c.fraction === fraction)?.runs ?? [];
      // The first seed that finished; else a run that stopped early shows what it had.
      const ordered = [...runs.filter((r) => r.status === 'finished'), ...runs.filter((r) => r.status !== 'finished')];
      const found = ordered.map((run) => ({ run, uri: lastSampleGrid(run.runDir) })).find((x) => x.uri !== null);
      if (!found) return '<td class="none">no samples</td>';
      const { run, uri } = found;
      return `<td><img src="${uri}" alt="${escapeHtml(`${method}, ${formatFraction(fraction)}, seed ${run.seed}`)}"><br>seed ${run.seed}${run.status === 'finished' ? '' : ` (${escapeHtml(run.status)})`}</td>`;
    });
    return `<tr><th>${escapeHtml(method)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="samples">${head}\n${rows.join('\n')}</table>`;
}

/** For each line of `after` and of `before`: whether the line diff (report-diff.ts) marks it. */
function marks(before: string[], after: string[]): { before: boolean[]; after: boolean[] } {
  const out = { before: before.map(() => false), after: after.map(() => false) };
  let i = 0;
  let j = 0;
  for (const line of diffLines(before, after)) {
    if (line.kind === 'same') {
      i++;
      j++;
    } else if (line.kind === 'removed') out.before[i++] = true;
    else out.after[j++] = true;
  }
  return out;
}

/** Each method's spec in a column; a line is highlighted where it differs from the reference spec (the baseline, else the first). */
export function specsHtml(methods: MethodInfo[], reference: string | null): string {
  const shown = methods.filter((m) => m.specText !== null);
  if (shown.length === 0) return '<p>No spec text at hand.</p>';
  const ref = shown.find((m) => m.name === reference) ?? shown[0];
  const split = (text: string): string[] => text.replace(/\n$/, '').split('\n');
  const refLines = split(ref.specText!);
  // The reference's own lines are marked where some other spec lacks them.
  const refChanged = refLines.map(() => false);
  for (const m of shown) {
    if (m === ref) continue;
    marks(refLines, split(m.specText!)).before.forEach((c, i) => { if (c) refChanged[i] = true; });
  }
  const columns = shown.map((m) => {
    const lines = split(m.specText!);
    const changed = m === ref ? refChanged : marks(refLines, lines).after;
    const body = lines.map((l, i) => `<span class="${changed[i] ? 'line changed' : 'line'}">${escapeHtml(l) || ' '}</span>`).join('');
    return `<div class="spec"><h3>${escapeHtml(m.name)}${m === ref && shown.length > 1 ? ' (reference)' : ''}</h3><pre>${body}</pre></div>`;
  });
  return `<div class="specs">${columns.join('\n')}</div>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}code{font-size:90%}
figure.chart{display:inline-block;margin:0 1.5em 1.5em 0}figcaption{font-size:85%;color:#555;max-width:520px}
table.samples img{image-rendering:pixelated;width:224px}td.none{color:#888}
.specs{display:flex;flex-wrap:wrap;gap:1em}.spec{flex:1 1 360px;min-width:0}.spec pre{background:#f7f7f7;padding:0.5em;font-size:80%;overflow-x:auto}
.spec .line{display:block}.spec .changed{background:#fff3b0}p.note{max-width:60em}`;

export async function compareHtml(doc: CompareDocument): Promise<string> {
  const t = doc.table;
  const sections: string[] = [];
  const measureTables = t.measures.map((m) => `<h3>${escapeHtml(`${m.name} (${m.better} is better)`)}</h3>${tableHtml(measureRows(t, m), 'cells')}`);
  sections.push(`<h2>Table</h2><p class="note">${escapeHtml(INTERVAL_NOTE)}</p>${measureTables.join('\n')}`);
  if (t.baseline !== null) {
    const rows = t.measures.map((m) => `<h3>${escapeHtml(m.name)}</h3>${tableHtml(comparisonRows(t, m), 'baseline')}`);
    sections.push(`<h2>Against the baseline ${escapeHtml(t.baseline)}</h2><p class="note">${escapeHtml(BASELINE_NOTE(t.baseline))}</p>${rows.join('\n')}`);
  }
  const bars = (await Promise.all(t.measures.map(async (m) => {
    const svg = await barChart(t, m);
    return svg ? figure(svg, 'Bars: mean over the seeds that finished; black line: 95% interval; dots: each seed.') : '';
  }))).join('\n');
  sections.push(`<h2>Final quality by data fraction</h2>${bars || '<p>No run has a score yet.</p>'}`);
  const curves: string[] = [];
  for (const m of t.measures) {
    for (const f of t.fractions) {
      const svg = await curveChart(t, m, f);
      if (svg) curves.push(figure(svg, 'Line: mean over seeds; band: lowest to highest seed. Values as training logged them (metrics.jsonl).'));
    }
  }
  sections.push(`<h2>Quality during training</h2><p class="note">${escapeHtml(
    'These are the evaluations training itself logs: with fraction < 1 their Fréchet reference is the training subset, '
    + 'so compare them within a chart; the table and the bars use the protocol above.')}</p>${curves.join('\n') || '<p>No quality values were logged.</p>'}`);
  sections.push(`<h2>Final samples</h2>${samplesHtml(t)}`);
  sections.push(`<h2>Specs</h2><p class="note">Highlighted: lines that differ from the reference spec.</p>${specsHtml(doc.methods, t.baseline)}`);
  const unfinished = unfinishedRuns(t);
  sections.push(`<h2>Runs without a score</h2>${unfinished.length === 0 ? '<p>None: every run finished and was scored.</p>'
    : `<ul>${unfinished.map((r) => `<li>${escapeHtml(`${r.method}, ${formatFraction(r.fraction)}, seed ${r.seed}: ${r.note ?? r.status}`)}${r.runDir ? ` <code>${escapeHtml(r.runDir)}</code>` : ''}</li>`).join('\n')}</ul>`}`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ganc compare: ${escapeHtml(t.methods.join(', '))}</title>
<style>${STYLE}</style></head><body>
<h1>ganc compare: ${escapeHtml(t.methods.join(', '))}</h1>
<p><code>${escapeHtml(doc.command)}</code></p>
<p>${escapeHtml(doc.mode === 'grid' ? `Grid: ${gridLine(doc)}` : `Aggregated from existing run directories: ${gridLine(doc)}`)} ${escapeHtml(wallLine(doc))}</p>
<p class="note"><b>Protocol.</b> ${escapeHtml(describeProtocol(t.protocol))}</p>
${doc.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${sections.join('\n')}
</body></html>
`;
}

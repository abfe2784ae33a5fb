// report.html: the page a person opens after (or during) a run. Plots are SVG rendered at write time and
// inlined, so the page has no JavaScript and needs no network. Sample grids are <img> elements with
// relative paths (samples/step-NNNNNN.png): the page stays small however long the run, and works wherever
// the run folder is moved or copied as a whole (moving report.html alone loses the pictures).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { CHECKPOINTS_DIR, IR_FILE, METRICS_FILE, REPORT_FILE, SAMPLES_DIR, SPEC_FILE } from './run-dir.js';
import { listCheckpoints } from './checkpoint.js';
import { readMetrics, type MetricsEntry, type Scalars } from './metrics-log.js';
import { renderLineChartSvg, type LineChart, type Series } from './report-plots.js';
import { UserError } from '../../errors.js';
import { isBuiltinTerm, termDefinition } from '../../terms/regularizer-terms/index.js';

/** Sample grids shown: evenly spaced over the run, always with the first and the last. */
export const MAX_SAMPLE_GRIDS_SHOWN = 24;

interface SampleImage {
  file: string;
  step: number | null;
  size: { width: number; height: number } | null;
}

export class ReportError extends UserError {}

/** Writes `<runDir>/report.html` (atomically) and returns its path. */
export async function writeReport(runDir: string): Promise<string> {
  if (!existsSync(runDir)) throw new ReportError(`${runDir}: no such run folder`);
  const metrics = readMetrics(join(runDir, METRICS_FILE));
  const ir = readIrSummary(join(runDir, IR_FILE));
  const specText = existsSync(join(runDir, SPEC_FILE)) ? readFileSync(join(runDir, SPEC_FILE), 'utf8') : null;
  const name = typeof ir?.name === 'string' ? ir.name : basename(runDir);
  const isPointData = Array.isArray(ir?.data?.shape) && ir.data.shape.length === 1;

  const sections: string[] = [];
  sections.push(section('Key figures', keyFiguresTable(metrics, runDir)));
  const stepRange: [number, number] | undefined = metrics.length > 0 ? [metrics[0].step, metrics.at(-1)!.step] : undefined;
  for (const group of chartGroups(metrics)) {
    const svgs = await Promise.all(group.charts.map((chart) => renderLineChartSvg({ ...chart, stepRange })));
    const charts = `<div class="charts">${svgs.map((svg) => `<figure class="chart">${svg}</figure>`).join('\n')}</div>`;
    sections.push(section(group.heading, charts + definitionsHtml(group.definitions ?? [])));
  }
  sections.push(section('Samples', samplesHtml(listSampleImages(join(runDir, SAMPLES_DIR)), isPointData)));
  if (specText !== null) sections.push(section('Spec', `<pre>${escapeHtml(specText)}</pre>`));

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} · ganc run report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(name)}</h1>
<p class="subtitle">ganc run <code>${escapeHtml(basename(runDir))}</code> · report written ${escapeHtml(new Date().toISOString().replace('T', ' ').slice(0, 19))} UTC</p>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
  const path = join(runDir, REPORT_FILE);
  writeFileAtomic(path, html);
  return path;
}

interface ChartGroup {
  heading: string;
  charts: LineChart[];
  /** What the plotted quantities are: [name, definition] pairs shown under the charts. */
  definitions?: [string, string][];
}

/** Only groups and charts that have data: a run without a regularizer shows no empty plots. */
function chartGroups(metrics: MetricsEntry[]): ChartGroup[] {
  const seriesOf = (pick: (e: MetricsEntry) => Scalars | undefined): Series[] =>
    keysOf(metrics, pick).map((key) => ({ name: key, points: pointsOf(metrics, (e) => pick(e)?.[key]) }));
  const single = (title: string, yTitle: string, series: Series, showPoints = false): LineChart => ({ title, yTitle, series: [series], showPoints });

  const losses = seriesOf((e) => e.losses);
  const regularizers = seriesOf((e) => e.regularizers);
  const terms = [...seriesOf((e) => e.terms), ...seriesOf((e) => e.windowed)];
  const gradNorms = seriesOf((e) => e.grad_norms);
  const quality = seriesOf((e) => e.quality);
  const gradientCharts = gradNorms.map((s) => single(`gradient norm ${s.name}`, 'norm', s));
  const stepTime = pointsOf(metrics, (e) => e.step_ms);

  const groups: ChartGroup[] = [
    { heading: 'Losses', charts: losses.length > 0 ? [{ title: 'losses', yTitle: 'loss', series: losses }] : [] },
    { heading: 'Regularizers', charts: regularizers.map((s) => single(s.name, 'value', s)) },
    { heading: 'Terms', charts: terms.map((s) => single(s.name, 'value', s)), definitions: termDefinitions(terms.map((s) => s.name)) },
    { heading: 'Gradients', charts: gradientCharts },
    { heading: 'Quality', charts: quality.map((s) => single(s.name, s.name, s, true)) },
    { heading: 'Speed', charts: stepTime.length > 0 ? [single('step time', 'ms per step', { name: 'step_ms', points: stepTime })] : [] },
  ];
  return groups.filter((g) => g.charts.length > 0);
}

/** What each plotted term is, from the registry ("R_t (reg 2)" is R_t's). */
function termDefinitions(labels: string[]): [string, string][] {
  const names = [...new Set(labels.map((label) => label.split(' ')[0]))].filter(isBuiltinTerm);
  return names.map((name) => [name, `${termDefinition(name).definition} (${termDefinition(name).source})`]);
}

function definitionsHtml(definitions: [string, string][]): string {
  if (definitions.length === 0) return '';
  return `<dl class="definitions">${definitions.map(([name, text]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(text)}</dd>`).join('')}</dl>`;
}

function keysOf(metrics: MetricsEntry[], pick: (e: MetricsEntry) => Scalars | undefined): string[] {
  const keys = new Set<string>();
  for (const entry of metrics) for (const key of Object.keys(pick(entry) ?? {})) keys.add(key);
  return [...keys];
}

function pointsOf(metrics: MetricsEntry[], pick: (e: MetricsEntry) => number | undefined): [number, number][] {
  const points: [number, number][] = [];
  for (const entry of metrics) {
    const value = pick(entry);
    if (typeof value === 'number') points.push([entry.step, value]);
  }
  return points;
}

function keyFiguresTable(metrics: MetricsEntry[], runDir: string): string {
  const rows: [string, string][] = [];
  const first = metrics[0];
  const last = metrics.at(-1);
  if (!first || !last) {
    rows.push(['Metrics', 'none logged yet']);
  } else {
    rows.push(['Steps logged', `${metrics.length} entries, step ${first.step} to ${last.step}`]);
    rows.push(['Wall time', formatDuration(Date.parse(last.time) - Date.parse(first.time))]);
    rows.push(['Median step time', `${formatNumber(median(metrics.map((e) => e.step_ms)))} ms`]);
    rows.push(['Final losses', formatScalars(last.losses)]);
    if (Object.keys(last.regularizers).length > 0) rows.push(['Final regularizers', formatScalars(last.regularizers)]);
    const terms = { ...last.terms, ...last.windowed };
    if (Object.keys(terms).length > 0) rows.push(['Final terms', formatScalars(terms)]);
    const evaluated = metrics.filter((e) => e.quality && Object.keys(e.quality).length > 0).at(-1);
    if (evaluated?.quality) rows.push([`Quality at step ${evaluated.step}`, formatScalars(evaluated.quality)]);
    const bad = firstNonFinite(metrics);
    if (bad) rows.push(['First non-finite value', `<span class="bad">${escapeHtml(bad)}</span>`]);
  }
  const checkpoints = listCheckpoints(join(runDir, CHECKPOINTS_DIR));
  rows.push(['Checkpoints', checkpoints.length > 0 ? `latest at step ${checkpoints.at(-1)!.step} (${checkpoints.length} kept)` : 'none']);
  return `<table class="figures">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function firstNonFinite(metrics: MetricsEntry[]): string | null {
  for (const entry of metrics) {
    const groups: [string, Scalars | undefined][] = [
      ['loss', entry.losses], ['term', entry.terms], ['term', entry.windowed], ['regularizer', entry.regularizers],
      ['gradient norm', entry.grad_norms],
    ];
    for (const [kind, scalars] of groups) {
      for (const [key, value] of Object.entries(scalars ?? {})) if (!Number.isFinite(value)) return `${kind} ${key} = ${value} at step ${entry.step}`;
    }
  }
  return null;
}

function listSampleImages(dir: string): SampleImage[] {
  if (!existsSync(dir)) return [];
  const images = readdirSync(dir)
    .filter((file) => file.endsWith('.png'))
    .map((file): SampleImage => {
      const match = /^step-(\d+)\.png$/.exec(file);
      return { file, step: match ? Number(match[1]) : null, size: pngSize(join(dir, file)) };
    });
  return images.sort((a, b) => (a.step ?? Infinity) - (b.step ?? Infinity) || a.file.localeCompare(b.file));
}

function samplesHtml(images: SampleImage[], isPointData: boolean): string {
  if (images.length === 0) return '<p class="empty">No sample grids yet.</p>';
  const shown = evenlySpaced(images, MAX_SAMPLE_GRIDS_SHOWN);
  const notes: string[] = [];
  if (shown.length < images.length) notes.push(`${shown.length} of ${images.length} grids shown, evenly spaced; all are in <code>${SAMPLES_DIR}/</code>.`);
  if (isPointData) notes.push('Blue: generated samples; orange: real data; axes span [-5, 5].');
  else notes.push('Fixed noise: the same latent vectors at every step.');
  const figures = shown.map((image) => {
    const src = `${SAMPLES_DIR}/${encodeURIComponent(image.file)}`;
    const caption = image.step === null ? image.file : `step ${image.step}`;
    return `<figure class="sample"><a href="${src}"><img src="${src}" alt="samples at ${escapeHtml(caption)}"${displaySize(image)}></a><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  });
  return `<p class="note">${notes.join(' ')}</p><div class="samples">${figures.join('\n')}</div>`;
}

/** Small grids (28-px digits) are enlarged by a whole factor and drawn with sharp pixels; large ones fit 320 px. */
function displaySize({ size }: SampleImage): string {
  if (!size) return '';
  const target = 320;
  const scale = size.width < target ? Math.max(1, Math.floor(target / size.width)) : target / size.width;
  const pixelated = scale > 1 ? ' class="pixelated"' : '';
  return ` width="${Math.round(size.width * scale)}" height="${Math.round(size.height * scale)}"${pixelated}`;
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23), or null when the file is not a PNG. */
function pngSize(path: string): { width: number; height: number } | null {
  const header = Buffer.alloc(24);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 24, 0) < 24 || header.readUInt32BE(0) !== 0x89504e47) return null;
  } finally {
    closeSync(fd);
  }
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

function evenlySpaced<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const picked = new Set<number>();
  for (let i = 0; i < limit; i++) picked.add(Math.round((i * (items.length - 1)) / (limit - 1)));
  return [...picked].map((i) => items[i]);
}

/** The parts of ir.json the report uses; null when the file is absent or unreadable. */
interface IrSummary {
  name?: unknown;
  data?: { shape?: unknown };
}

function readIrSummary(path: string): IrSummary | null {
  if (!existsSync(path)) return null;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as IrSummary) : null;
  } catch {
    return null;
  }
}

function section(heading: string, body: string): string {
  return `<section><h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

function formatScalars(scalars: Scalars): string {
  return Object.entries(scalars)
    .map(([key, value]) => `${escapeHtml(key)} <b>${formatNumber(value)}</b>`)
    .join(' · ');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f7f9; margin: 0; }
header { background: #fff; border-bottom: 1px solid #e1e4e8; padding: 20px 32px 12px; }
h1 { margin: 0; font-size: 26px; }
.subtitle { margin: 4px 0 0; color: #57606a; }
main { max-width: 1500px; padding: 8px 32px 40px; }
section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; margin: 20px 0; padding: 8px 20px 16px; }
h2 { font-size: 18px; margin: 8px 0 12px; }
table.figures { border-collapse: collapse; }
table.figures th { text-align: left; font-weight: 600; color: #57606a; padding: 4px 24px 4px 0; vertical-align: top; white-space: nowrap; }
table.figures td { padding: 4px 0; }
dl.definitions { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; color: #57606a; font-size: 14px; }
dl.definitions dt { font-weight: 600; }
dl.definitions dd { margin: 0; }
.bad { color: #cf222e; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 28px; }
figure { margin: 0; }
.samples { display: flex; flex-wrap: wrap; gap: 16px; }
.sample img { display: block; border: 1px solid #d0d7de; }
img.pixelated { image-rendering: pixelated; }
figcaption { color: #57606a; font-size: 13px; text-align: center; margin-top: 4px; }
.note, .empty { color: #57606a; margin-top: 0; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 13px; }
code { font-size: 13px; }
`;

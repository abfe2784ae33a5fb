// report.html: the page a person opens during or after a run. It is written when training starts, rewritten
// (atomically, rate-limited: report-live.ts) as training logs, and at the end; `ganc report RUN` rebuilds it.
// Plots are drawn in the page by inlined vega-lite (report-page.ts): hover values, a smoothing slider, log
// scales where values span decades, all offline. Sample grids are <img> elements with relative paths
// (samples/step-NNNNNN.png): the page stays small however long the run, and works wherever the run folder
// is moved or copied as a whole (moving report.html alone loses the pictures).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { CHECKPOINTS_DIR, IR_FILE, METRICS_FILE, REPORT_FILE, SAMPLES_DIR, SPEC_FILE } from './run-dir.js';
import { listCheckpoints } from './checkpoint.js';
import { readMetrics, type MetricsEntry, type Scalars } from './metrics-log.js';
import { lineChart, type ChartInput, type LineChart, type Series } from './report-plots.js';
import { DEFAULT_SMOOTHING, escapeHtml, pageHtml, plotHtml, section } from './report-page.js';
import { readRunInfo, type Invocation, type RunInfo } from './run-info.js';
import { UserError } from '../../errors.js';
import { isBuiltinTerm, termDefinition } from '../../terms/regularizer-terms/index.js';

/** Sample grids shown: evenly spaced over the run, always with the first and the last. */
export const MAX_SAMPLE_GRIDS_SHOWN = 24;
/** How often a page describing a run in training reloads itself. */
export const LIVE_RELOAD_SECONDS = 30;

export interface SampleImage {
  file: string;
  step: number | null;
  size: { width: number; height: number } | null;
}

export class ReportError extends UserError {}

/** Where training is, as the page's header says it. */
export interface ReportStatus {
  state: 'training' | 'finished' | 'interrupted' | 'diverged';
  step: number;
  total: number;
  /** For a diverged run: what went bad. */
  message?: string;
}

export interface ReportOptions {
  /** Absent (a rebuild by `ganc report`): the page says how far the run got from its files. */
  status?: ReportStatus;
  /** Initial smoothing of the page's slider, in [0, 1). */
  smoothing?: number;
}

/** What the reports read from a run folder; every file but the folder itself may be missing. */
export interface RunData {
  dir: string;
  name: string;
  metrics: MetricsEntry[];
  specText: string | null;
  ir: IrSummary | null;
  info: RunInfo | null;
  samples: SampleImage[];
  /** The latest checkpoint's step, or null when there is none. */
  checkpointStep: number | null;
  checkpointCount: number;
}

export function readRunData(runDir: string): RunData {
  if (!existsSync(runDir)) throw new ReportError(`${runDir}: no such run folder`);
  // A report is written into the folder: one that is no run must not get a report.html.
  if (![IR_FILE, METRICS_FILE, SPEC_FILE].some((file) => existsSync(join(runDir, file)))) {
    throw new ReportError(`${runDir}: not a ganc run directory (no ${IR_FILE}, ${METRICS_FILE} or ${SPEC_FILE})`);
  }
  const ir = readIrSummary(join(runDir, IR_FILE));
  const checkpoints = listCheckpoints(join(runDir, CHECKPOINTS_DIR));
  return {
    dir: runDir,
    name: typeof ir?.name === 'string' ? ir.name : basename(runDir),
    metrics: readMetrics(join(runDir, METRICS_FILE)),
    specText: existsSync(join(runDir, SPEC_FILE)) ? readFileSync(join(runDir, SPEC_FILE), 'utf8') : null,
    ir,
    info: readRunInfo(runDir),
    samples: listSampleImages(join(runDir, SAMPLES_DIR)),
    checkpointStep: checkpoints.at(-1)?.step ?? null,
    checkpointCount: checkpoints.length,
  };
}

/** Writes `<runDir>/report.html` (atomically) and returns its path. */
export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<string> {
  const run = readRunData(runDir);
  const { metrics } = run;
  const isPointData = Array.isArray(run.ir?.data?.shape) && run.ir.data.shape.length === 1;

  const sections: string[] = [];
  const charts: LineChart[] = [];
  sections.push(section('Key figures', keyFiguresTable(metrics, run)));
  const stepRange: [number, number] | undefined = metrics.length > 0 ? [metrics[0].step, metrics.at(-1)!.step] : undefined;
  for (const group of chartGroups(metrics)) {
    const figures = group.charts.map((chart) => {
      charts.push(lineChart({ ...chart, stepRange }));
      return plotHtml(charts.length - 1);
    });
    sections.push(section(group.heading, `<div class="charts">${figures.join('\n')}</div>${definitionsHtml(group.definitions ?? [])}`));
  }
  sections.push(section('Samples', samplesHtml(run.samples, isPointData)));
  if (run.specText !== null) sections.push(section('Spec', `<pre>${escapeHtml(run.specText)}</pre>`));
  if (run.info) sections.push(section('Run', runInfoHtml(run.info)));

  const html = pageHtml({
    title: `${run.name} · ganc run report`,
    subtitle: `ganc run <code>${escapeHtml(basename(runDir))}</code> · ${statusHtml(options.status, run)} · report written ${escapeHtml(utcNow())} UTC`,
    sections,
    charts,
    smoothing: options.smoothing ?? DEFAULT_SMOOTHING,
    ...(options.status?.state === 'training' ? { reloadSeconds: LIVE_RELOAD_SECONDS } : {}),
  });
  const path = join(runDir, REPORT_FILE);
  writeFileAtomic(path, html);
  return path;
}

export function utcNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

function statusHtml(status: ReportStatus | undefined, run: RunData): string {
  if (!status) {
    const total = typeof run.ir?.train?.steps === 'number' ? run.ir.train.steps : null;
    const step = run.metrics.at(-1)?.step ?? 0;
    return total === null ? `step ${step}` : `step ${step} of ${total}`;
  }
  const text = {
    training: `training: step ${status.step} of ${status.total} (this page reloads every ${LIVE_RELOAD_SECONDS} s)`,
    finished: `finished: ${status.step} steps`,
    interrupted: `interrupted at step ${status.step} of ${status.total}`,
    diverged: `stopped: ${status.message ?? `diverged at step ${status.step}`}`,
  }[status.state];
  return `<span class="status-${status.state}">${escapeHtml(text)}</span>`;
}

/** run.json as a table: what ran the run, and each resume. */
export function runInfoHtml(info: RunInfo): string {
  const rows: [string, string][] = [];
  const describe = (inv: Partial<Invocation>): string => [
    inv.ganc ? `ganc ${inv.ganc.version}${inv.ganc.commit ? ` (commit ${inv.ganc.commit.slice(0, 10)})` : ''}` : null,
    inv.backend ? `backend ${inv.backend}${inv.kernels ? ` (${inv.kernels.route} kernels, ${inv.kernels.blas} matMul)` : ''}` : null,
    inv.threads !== undefined ? `${inv.threads ?? '?'} thread${inv.threads === 1 ? '' : 's'}${inv.GANC_THREADS ? ` (GANC_THREADS=${inv.GANC_THREADS})` : ''}` : null,
    inv.node ? `Node ${inv.node}` : null,
    inv.host ? `${inv.host.name} (${inv.host.platform}/${inv.host.arch}, ${inv.host.cpus} × ${inv.host.cpu})` : null,
  ].filter((x): x is string => x !== null).map(escapeHtml).join(' · ');
  if (info.command) rows.push(['Command', `<code>${escapeHtml(info.command.join(' '))}</code>`]);
  if (info.started) rows.push(['Started', `${escapeHtml(info.started.replace('T', ' ').slice(0, 19))} UTC`]);
  const what = describe(info);
  if (what) rows.push(['Ran on', what]);
  for (const resume of Array.isArray(info.resumes) ? info.resumes : []) {
    rows.push([`Resumed at step ${resume.fromStep ?? '?'}`, `<code>${escapeHtml((resume.command ?? []).join(' '))}</code><br>${describe(resume)}`]);
  }
  return `<table class="figures">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

/** One plotted quantity: a key of a metrics group (losses.D, terms.gp, quality.fd_lenet, step_ms). */
export interface MetricKey {
  title: string;
  yTitle: string;
  pick: (e: MetricsEntry) => number | undefined;
  /** Logged only now and then (quality): dots, no smoothing. */
  sparse: boolean;
}

export interface MetricGroup {
  heading: string;
  keys: MetricKey[];
  /** What the plotted quantities are: [name, definition] pairs shown under the charts. */
  definitions: [string, string][];
}

/** Every quantity any of the logs has, by group, in a fixed order; empty groups left out. */
export function metricGroups(logs: MetricsEntry[][]): MetricGroup[] {
  const all = logs.flat();
  const keysIn = (pick: (e: MetricsEntry) => Scalars | undefined, title: (key: string) => string, yTitle: (key: string) => string, sparse = false): MetricKey[] =>
    keysOf(all, pick).map((key) => ({ title: title(key), yTitle: yTitle(key), pick: (e) => pick(e)?.[key], sparse }));
  const terms = [...keysIn((e) => e.terms, (k) => k, () => 'value'), ...keysIn((e) => e.windowed, (k) => k, () => 'value')];
  const groups: MetricGroup[] = [
    { heading: 'Losses', keys: keysIn((e) => e.losses, (k) => `loss ${k}`, () => 'loss'), definitions: [] },
    { heading: 'Regularizers', keys: keysIn((e) => e.regularizers, (k) => k, () => 'value'), definitions: [] },
    { heading: 'Terms', keys: terms, definitions: termDefinitions(terms.map((k) => k.title)) },
    { heading: 'Gradients', keys: keysIn((e) => e.grad_norms, (k) => `gradient norm ${k}`, () => 'norm'), definitions: [] },
    { heading: 'Quality', keys: keysIn((e) => e.quality, (k) => k, (k) => k, true), definitions: [] },
    {
      heading: 'Speed',
      keys: all.some((e) => typeof e.step_ms === 'number') ? [{ title: 'step time', yTitle: 'ms per step', pick: (e) => e.step_ms, sparse: false }] : [],
      definitions: [],
    },
  ];
  return groups.filter((g) => g.keys.length > 0);
}

/** A run's charts: its losses together in one, every other quantity in its own. */
function chartGroups(metrics: MetricsEntry[]): { heading: string; charts: ChartInput[]; definitions: [string, string][] }[] {
  return metricGroups([metrics]).map((group) => {
    const series = group.keys.map((key): Series => ({ name: key.title.replace(/^loss /, ''), points: pointsOf(metrics, key.pick) }));
    const charts: ChartInput[] = group.heading === 'Losses'
      ? [{ title: 'losses', yTitle: 'loss', series }]
      : group.keys.map((key, i) => ({ title: key.title, yTitle: key.yTitle, series: [series[i]], sparse: key.sparse }));
    return { heading: group.heading, charts, definitions: group.definitions };
  });
}

/** What each plotted term is, from the registry ("R_t (reg 2)" is R_t's). */
function termDefinitions(labels: string[]): [string, string][] {
  const names = [...new Set(labels.map((label) => label.split(' ')[0]))].filter(isBuiltinTerm);
  return names.map((name) => [name, `${termDefinition(name).definition} (${termDefinition(name).source})`]);
}

export function definitionsHtml(definitions: [string, string][]): string {
  if (definitions.length === 0) return '';
  return `<dl class="definitions">${definitions.map(([name, text]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(text)}</dd>`).join('')}</dl>`;
}

function keysOf(metrics: MetricsEntry[], pick: (e: MetricsEntry) => Scalars | undefined): string[] {
  const keys = new Set<string>();
  for (const entry of metrics) for (const key of Object.keys(pick(entry) ?? {})) keys.add(key);
  return [...keys];
}

export function pointsOf(metrics: MetricsEntry[], pick: (e: MetricsEntry) => number | undefined): [number, number][] {
  const points: [number, number][] = [];
  for (const entry of metrics) {
    const value = pick(entry);
    if (typeof value === 'number') points.push([entry.step, value]);
  }
  return points;
}

function keyFiguresTable(metrics: MetricsEntry[], run: RunData): string {
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
  rows.push(['Checkpoints', run.checkpointStep !== null ? `latest at step ${run.checkpointStep} (${run.checkpointCount} kept)` : 'none']);
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
export function displaySize({ size }: SampleImage): string {
  if (!size) return '';
  const target = 320;
  const scale = size.width < target ? Math.max(1, Math.floor(target / size.width)) : target / size.width;
  const pixelated = scale > 1 ? ' class="pixelated"' : '';
  return ` width="${Math.round(size.width * scale)}" height="${Math.round(size.height * scale)}"${pixelated}`;
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23), or null when the file is not a PNG. */
export function pngSize(path: string): { width: number; height: number } | null {
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
export interface IrSummary {
  name?: unknown;
  data?: { shape?: unknown };
  train?: { steps?: unknown };
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

export function formatScalars(scalars: Scalars): string {
  return Object.entries(scalars)
    .map(([key, value]) => `${escapeHtml(key)} <b>${formatNumber(value)}</b>`)
    .join(' · ');
}

export function formatNumber(value: number): string {
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

// The comparison page of `ganc report RUN RUN...`: several runs (of one spec or of different ones) on one
// page, as TensorBoard overlays runs. Every quantity any run logged gets one chart with a curve per run
// (each run one colour on every chart, named in each legend and in the runs table); the specs' differences
// as line diffs against the first run's; each run's last sample grid side by side. The grids are inlined
// (data: URIs), so the page can be written anywhere and still shows them.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { SAMPLES_DIR } from './run-dir.js';
import { diffLines } from './report-diff.js';
import { DEFAULT_SMOOTHING, escapeHtml, pageHtml, plotHtml, section } from './report-page.js';
import { colorsFor, lineChart, type LineChart } from './report-plots.js';
import {
  definitionsHtml, displaySize, formatScalars, metricGroups, pointsOf, readRunData, ReportError, utcNow, type RunData,
} from './report.js';

export interface CompareOptions {
  /** The page to write. */
  out: string;
  /** Initial smoothing of the page's slider, in [0, 1). */
  smoothing?: number;
}

/** Writes the comparison page of `runDirs` (at least two) and returns its path. */
export async function writeComparisonReport(runDirs: string[], options: CompareOptions): Promise<string> {
  if (runDirs.length < 2) throw new Error('a comparison needs at least two runs');
  const runs = runDirs.map(readRunData);
  const labels = runLabels(runDirs);
  const colors = colorsFor(labels);

  const charts: LineChart[] = [];
  const sections: string[] = [section('Runs', runsTable(runs, labels, colors.range))];
  const steps = runs.flatMap((r) => r.metrics.map((e) => e.step));
  const stepRange: [number, number] | undefined = steps.length > 0 ? [Math.min(...steps), Math.max(...steps)] : undefined;
  for (const group of metricGroups(runs.map((r) => r.metrics))) {
    const figures = group.keys.map((key) => {
      charts.push(lineChart({
        title: key.title,
        yTitle: key.yTitle,
        series: runs.map((run, i) => ({ name: labels[i], points: pointsOf(run.metrics, key.pick) })),
        sparse: key.sparse,
        stepRange,
        colors,
        legend: true,
        seriesTitle: 'run',
        width: 520,
      }));
      return plotHtml(charts.length - 1);
    });
    sections.push(section(group.heading, `<div class="charts">${figures.join('\n')}</div>${definitionsHtml(group.definitions)}`));
  }
  sections.push(section('Spec differences', specDiffsHtml(runs, labels)));
  sections.push(section('Final samples', finalSamplesHtml(runs, labels, colors.range)));

  const html = pageHtml({
    title: `${runs.length} runs compared · ganc report`,
    subtitle: `${labels.map(escapeHtml).join(' · ')} · written ${escapeHtml(utcNow())} UTC`,
    sections,
    charts,
    smoothing: options.smoothing ?? DEFAULT_SMOOTHING,
  });
  try {
    writeFileAtomic(options.out, html);
  } catch (e) {
    throw new ReportError(`${options.out}: cannot write the comparison page (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return options.out;
}

/** Each run's folder name; where two share one, their paths (from here), so every legend entry is distinct. */
export function runLabels(runDirs: string[]): string[] {
  const names = runDirs.map((dir) => basename(dir.replace(/[\\/]+$/, '')) || dir);
  const labels = names.map((name, i) => (names.indexOf(name) === names.lastIndexOf(name) ? name : relative(process.cwd(), runDirs[i]) || runDirs[i]));
  return labels.map((label, i) => (labels.indexOf(label) === i ? label : `${label} (${i + 1})`));
}

function runsTable(runs: RunData[], labels: string[], colors: string[]): string {
  const rows = runs.map((run, i) => {
    const last = run.metrics.at(-1);
    const total = typeof run.ir?.train?.steps === 'number' ? ` of ${run.ir.train.steps}` : '';
    const quality = run.metrics.filter((e) => e.quality && Object.keys(e.quality).length > 0).at(-1);
    const info = run.info;
    const ranOn = info?.backend ? `${info.backend}${info.kernels ? ` (${info.kernels.route})` : ''}, ${info.threads ?? '?'} thread${info.threads === 1 ? '' : 's'}` : '';
    return `<tr><td><span class="swatch" style="background:${colors[i]}"></span><b>${escapeHtml(labels[i])}</b></td>`
      + `<td>${escapeHtml(run.name)}</td>`
      + `<td>${last ? `${last.step}${total}` : 'none logged'}</td>`
      + `<td>${last ? formatScalars(last.losses) : ''}</td>`
      + `<td>${quality?.quality ? `${formatScalars(quality.quality)} <span class="note">(step ${quality.step})</span>` : ''}</td>`
      + `<td>${escapeHtml(ranOn)}</td>`
      + `<td><code>${escapeHtml(run.dir)}</code></td></tr>`;
  });
  return `<table class="runs"><tr><th>run</th><th>spec</th><th>step</th><th>final losses</th><th>quality</th><th>ran on</th><th>folder</th></tr>${rows.join('')}</table>`;
}

/** Every run's spec.gan against the first run's, as a highlighted line diff. */
function specDiffsHtml(runs: RunData[], labels: string[]): string {
  const base = runs[0].specText;
  if (base === null) return `<p class="empty">${escapeHtml(labels[0])} has no spec.gan to compare against.</p>`;
  const parts = runs.slice(1).map((run, i) => {
    const heading = `<h3>${escapeHtml(labels[i + 1])} <span class="note">against ${escapeHtml(labels[0])}</span></h3>`;
    if (run.specText === null) return `${heading}<p class="empty">no spec.gan</p>`;
    if (run.specText === base) return `${heading}<p class="note">same spec</p>`;
    const lines = diffLines(base.split('\n'), run.specText.split('\n')).map(({ kind, text }) => {
      const mark = kind === 'added' ? '+ ' : kind === 'removed' ? '- ' : '  ';
      return `<span class="${kind}">${escapeHtml(mark + text)}</span>`;
    });
    return `${heading}<pre class="diff">${lines.join('')}</pre>`;
  });
  return parts.join('\n');
}

function finalSamplesHtml(runs: RunData[], labels: string[], colors: string[]): string {
  const figures = runs.map((run, i) => {
    const image = run.samples.filter((s) => s.step !== null).at(-1) ?? run.samples.at(-1);
    const caption = `<figcaption><span class="swatch" style="background:${colors[i]}"></span>${escapeHtml(labels[i])}${image?.step !== null && image ? ` · step ${image.step}` : ''}</figcaption>`;
    const path = image ? join(run.dir, SAMPLES_DIR, image.file) : null;
    if (!image || !path || !existsSync(path)) return `<figure class="sample"><p class="empty">no samples</p>${caption}</figure>`;
    const src = `data:image/png;base64,${readFileSync(path).toString('base64')}`;
    return `<figure class="sample"><img src="${src}" alt="${escapeHtml(`last samples of ${labels[i]}`)}"${displaySize(image)}>${caption}</figure>`;
  });
  return `<div class="samples">${figures.join('\n')}</div>`;
}

// compare.md and compare.json: the table, the protocol that scored it, the comparison with the baseline,
// and every run without a score with the reason. compare.html (html.ts) shows the same facts with charts.
import { join } from 'node:path';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { CompareConfig } from './grid.js';
import { describeProtocol } from './protocol.js';
import { keepNonFinite } from './records.js';
import { BOOTSTRAP_RESAMPLES } from './stats.js';
import { comparisonRows, formatFraction, measureRows, unfinishedRuns, type CompareTable } from './table.js';

export const COMPARE_MD = 'compare.md';
export const COMPARE_JSON = 'compare.json';
export const COMPARE_HTML = 'compare.html';

export interface MethodInfo {
  name: string;
  /** The spec file it came from, when known. */
  specFile: string | null;
  overrides: string[];
  /** Its spec as trained (grid: before the cell's fraction; runs: one run's spec.gan). */
  specText: string | null;
}

export interface CompareDocument {
  /** `grid`: trained by this comparison; `runs`: existing run directories aggregated. */
  mode: 'grid' | 'runs';
  command: string;
  table: CompareTable;
  config: CompareConfig | null;
  methods: MethodInfo[];
  /** Facts a reader needs that are not in the table (runs left out as superseded, ...). */
  notes: string[];
  /** Training wall time summed over runs, seconds. */
  trainingSeconds: number;
  /** The grid's wall time from start to end (over every session), seconds; null for aggregated runs. */
  elapsedSeconds: number | null;
}

export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const mdTable = (rows: string[][]): string[] => [
  `| ${rows[0].map(escapeCell).join(' | ')} |`,
  `| ${rows[0].map(() => '---').join(' | ')} |`,
  ...rows.slice(1).map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
];

export const INTERVAL_NOTE = 'Intervals: t-based 95% over the seeds that finished (mean ± t(0.975, n − 1)·sd/√n). '
  + 'Diverged and failed runs are counted and listed with the reason; they have no score, so they are not in the mean.';
export const BASELINE_NOTE = (baseline: string): string => `Welch's t-test of method − ${baseline} over seeds (unequal variances), with its 95% interval `
  + 'and two-sided p; "not distinguishable" wherever that interval covers zero. The bootstrap interval (percentile, '
  + `${BOOTSTRAP_RESAMPLES} resamples, fixed seed) is shown beside it: with a handful of seeds it is too narrow to judge by.`;

export function gridLine(doc: CompareDocument): string {
  const t = doc.table;
  const runs = t.cells.reduce((n, c) => n + c.runs.length, 0);
  const seeds = [...new Set(t.cells.flatMap((c) => c.seeds))].sort((a, b) => a - b);
  const steps = [...new Set(t.cells.flatMap((c) => c.steps))];
  const extra = doc.config ? [
    doc.config.batch !== null ? `batch ${doc.config.batch}` : 'batch from the specs',
    doc.config.evalEvery !== null ? `evaluated every ${doc.config.evalEvery} steps during training` : null,
  ].filter(Boolean).join(', ') : '';
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(t.methods.length, 'method')} × ${plural(t.fractions.length, 'data fraction')} (${t.fractions.map(formatFraction).join(', ')}) × seeds ${seeds.join(', ')}: `
    + `${runs} runs of ${steps.join(' / ')} steps${extra ? `; ${extra}` : ''}.`;
}

export function wallLine(doc: CompareDocument): string {
  const runs = doc.table.cells.flatMap((c) => c.runs).filter((r) => r.seconds !== null);
  const elapsed = doc.elapsedSeconds !== null ? `; the grid took ${formatDuration(doc.elapsedSeconds)} from start to end` : '';
  return `Wall time: ${formatDuration(doc.trainingSeconds)} of training over ${runs.length} runs`
    + `${runs.length > 0 ? ` (${formatDuration(doc.trainingSeconds / runs.length)} per run)` : ''}${elapsed}.`;
}

export function markdown(doc: CompareDocument): string {
  const t = doc.table;
  const out = [
    `# ganc compare: ${t.methods.join(', ')}`,
    '',
    `\`${doc.command}\``,
    '',
    doc.mode === 'grid' ? `Grid: ${gridLine(doc)}` : `Aggregated from existing run directories: ${gridLine(doc)}`,
    wallLine(doc),
    '',
    `**Protocol.** ${describeProtocol(t.protocol)}`,
    '',
    INTERVAL_NOTE,
    ...doc.notes.map((n) => `\n${n}`),
  ];
  for (const m of t.measures) out.push('', `## ${m.name} (${m.better} is better)`, '', ...mdTable(measureRows(t, m)));
  if (t.baseline !== null) {
    out.push('', `## Against the baseline ${t.baseline}`, '', BASELINE_NOTE(t.baseline));
    for (const m of t.measures) out.push('', `### ${m.name} (${m.better} is better)`, '', ...mdTable(comparisonRows(t, m)));
  }
  const unfinished = unfinishedRuns(t);
  out.push('', '## Runs without a score', '');
  if (unfinished.length === 0) out.push('None: every run finished and was scored.');
  for (const r of unfinished) out.push(`- ${r.method}, ${formatFraction(r.fraction)}, seed ${r.seed}: ${r.note ?? r.status}${r.runDir ? ` (\`${r.runDir}\`)` : ''}`);
  out.push('', '## Methods', '');
  for (const m of doc.methods) {
    const from = m.specFile ? `\`${m.specFile}\`` : 'its runs';
    out.push(`- ${m.name}: ${from}${m.overrides.length > 0 ? ` with ${m.overrides.map((o) => `\`${o}\``).join('; ')}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export function writeTextOutputs(dir: string, doc: CompareDocument): void {
  writeFileAtomic(join(dir, COMPARE_JSON), `${JSON.stringify({ ...doc, protocolText: describeProtocol(doc.table.protocol) }, keepNonFinite, 1)}\n`);
  writeFileAtomic(join(dir, COMPARE_MD), markdown(doc));
}

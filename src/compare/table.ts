// Runs → the comparison's table: per method and fraction, each measure's value at every seed, mean, sd,
// t-based 95% interval and n over the seeds that finished; how many diverged or failed (shown, never
// dropped: their seeds are listed with the reason); wall time. Against a baseline, per measure and
// fraction: Welch's t-test of method − baseline with its 95% interval, a bootstrap interval, and a verdict
// that says "not distinguishable" whenever the interval covers zero.
import type { Measure } from '../search/scores.js';
import { CompareError } from './compare-error.js';
import type { EvalProtocol } from './protocol.js';
import type { RunRecord } from './records.js';
import { bootstrapDiffInterval, covers, mean, summarize, welchTest, type Interval, type Summary, type WelchTest } from './stats.js';

export interface MeasureCell {
  /** One per seed of the cell, in seed order; null where the run has no score. */
  values: (number | null)[];
  /** Over the finished seeds; null when none finished. */
  summary: Summary | null;
}

export interface CellSummary {
  method: string;
  fraction: number;
  steps: number[];
  seeds: number[];
  runs: RunRecord[];
  measures: Record<string, MeasureCell>;
  finished: number;
  diverged: number;
  failed: number;
  pending: number;
  /** Mean wall time per run with a known time, seconds. */
  secondsPerRun: number | null;
}

export interface BaselineComparison {
  measure: string;
  better: Measure['better'];
  fraction: number;
  method: string;
  baseline: string;
  n: [number, number];
  /** mean(method) − mean(baseline) over finished seeds; null when a side has none. */
  diff: number | null;
  welch: WelchTest | null;
  bootstrap: Interval | null;
  verdict: string;
}

export interface CompareTable {
  protocol: EvalProtocol;
  methods: string[];
  fractions: number[];
  measures: Measure[];
  cells: CellSummary[];
  baseline: string | null;
  comparisons: BaselineComparison[];
}

export function buildTable(records: RunRecord[], protocol: EvalProtocol, baseline: string | null): CompareTable {
  const methods = [...new Set(records.map((r) => r.method))];
  const fractions = [...new Set(records.map((r) => r.fraction))].sort((a, b) => a - b);
  if (baseline !== null && !methods.includes(baseline)) {
    throw new CompareError(`--baseline ${baseline}: no such method; the methods are ${methods.join(', ')}`);
  }
  const cells: CellSummary[] = [];
  for (const method of methods) {
    for (const fraction of fractions) {
      const runs = records.filter((r) => r.method === method && r.fraction === fraction).sort((a, b) => a.seed - b.seed);
      if (runs.length === 0) continue;
      const measures: Record<string, MeasureCell> = {};
      for (const { name } of protocol.measures) {
        const values = runs.map((r) => (r.scores && Number.isFinite(r.scores[name]) ? r.scores[name] : null));
        measures[name] = { values, summary: summarize(values.filter((v): v is number => v !== null)) };
      }
      const count = (status: RunRecord['status']): number => runs.filter((r) => r.status === status).length;
      const times = runs.map((r) => r.seconds).filter((s): s is number => s !== null);
      cells.push({
        method, fraction, steps: [...new Set(runs.map((r) => r.steps))].sort((a, b) => a - b), seeds: runs.map((r) => r.seed), runs, measures,
        finished: count('finished'), diverged: count('diverged'), failed: count('failed'), pending: count('pending'),
        secondsPerRun: times.length > 0 ? mean(times) : null,
      });
    }
  }
  const comparisons = baseline === null ? [] : compareWithBaseline(cells, protocol.measures, baseline);
  return { protocol, methods, fractions, measures: protocol.measures, cells, baseline, comparisons };
}

function verdict(welch: WelchTest | null, better: Measure['better']): string {
  if (!welch) return 'too few finished seeds (two needed on each side)';
  if (covers(welch.ci95, 0)) return 'not distinguishable';
  const lower = welch.diff < 0;
  return `${lower === (better === 'lower') ? 'better' : 'worse'} (${lower ? 'lower' : 'higher'})`;
}

function compareWithBaseline(cells: CellSummary[], measures: Measure[], baseline: string): BaselineComparison[] {
  const out: BaselineComparison[] = [];
  for (const { name, better } of measures) {
    for (const cell of cells) {
      if (cell.method === baseline) continue;
      const base = cells.find((c) => c.method === baseline && c.fraction === cell.fraction);
      if (!base) continue;
      const a = cell.measures[name].values.filter((v): v is number => v !== null);
      const b = base.measures[name].values.filter((v): v is number => v !== null);
      const welch = welchTest(a, b);
      out.push({
        measure: name, better, fraction: cell.fraction, method: cell.method, baseline, n: [a.length, b.length],
        diff: a.length > 0 && b.length > 0 ? mean(a) - mean(b) : null, welch, verdict: verdict(welch, better),
        // With one value on a side every resample is the same: an interval of one point, which would look certain.
        bootstrap: a.length >= 2 && b.length >= 2 ? bootstrapDiffInterval(a, b) : null,
      });
    }
  }
  return out;
}

// --- Text ---------------------------------------------------------------------------------------------

/** Four significant figures, without exponent for the magnitudes these measures take. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const digits = Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(Math.abs(x)))));
  return x.toFixed(digits);
}

export const formatFraction = (f: number): string => `${+(f * 100).toFixed(4)}%`;
export const formatInterval = (i: Interval | null): string => (i ? `[${formatNumber(i.low)}, ${formatNumber(i.high)}]` : '—');
export const formatP = (p: number): string => (Number.isNaN(p) ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3));

/** A run's value as a table shows it: its score, or what stopped it. */
export function formatSeedValue(run: RunRecord, value: number | null): string {
  if (value !== null) return formatNumber(value);
  return run.status === 'finished' ? '—' : run.status;
}

/** The rows of one measure's table (header first), as cells of text: what compare.md and compare.html show. */
export function measureRows(table: CompareTable, measure: Measure): string[][] {
  const head = ['method', 'fraction', 'steps', 'n', 'mean', 'sd', '95% interval', 'each seed', 'diverged', 'failed', 'wall s/run'];
  if (table.cells.some((c) => c.pending > 0)) head.push('pending');
  const rows = table.cells.map((c) => {
    const m = c.measures[measure.name];
    const seeds = c.runs.map((r, i) => `${r.seed}: ${formatSeedValue(r, m.values[i])}`).join(', ');
    const row = [
      c.method, formatFraction(c.fraction), c.steps.join(', '), String(m.summary?.n ?? 0), formatNumber(m.summary?.mean),
      formatNumber(m.summary?.sd), formatInterval(m.summary?.ci95 ?? null), seeds, String(c.diverged), String(c.failed),
      c.secondsPerRun === null ? '—' : c.secondsPerRun.toFixed(1),
    ];
    if (head.includes('pending')) row.push(String(c.pending));
    return row;
  });
  return [head, ...rows];
}

export function comparisonRows(table: CompareTable, measure: Measure): string[][] {
  const head = ['method', 'fraction', 'n (method, baseline)', `difference (method − ${table.baseline})`, 'Welch 95% interval', 'p', 'bootstrap 95% interval', 'verdict'];
  const rows = table.comparisons.filter((c) => c.measure === measure.name).map((c) => [
    c.method, formatFraction(c.fraction), `${c.n[0]}, ${c.n[1]}`, formatNumber(c.diff),
    formatInterval(c.welch?.ci95 ?? null), c.welch ? formatP(c.welch.p) : '—', formatInterval(c.bootstrap), c.verdict,
  ]);
  return [head, ...rows];
}

/** Every run that has no score, with why. */
export function unfinishedRuns(table: CompareTable): RunRecord[] {
  return table.cells.flatMap((c) => c.runs.filter((r) => r.status !== 'finished'));
}

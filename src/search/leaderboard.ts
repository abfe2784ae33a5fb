// The results of a search as files a person reads: leaderboard.md, leaderboard.json (the same facts,
// for programs) and search.html (the table, a bar chart per quality measure, a link to each trial's
// report). Where the budget gave no signal (every score the same), they say so instead of ranking.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { RankedTrial, RankedVariant } from './ranking.js';
import type { RewriteFamily } from './rewrites.js';
import type { Budget } from './scheduler.js';
import type { Measure } from './scores.js';
import { renderScoreChartSvg } from './score-chart.js';
import type { SkippedVariant } from './variants.js';

export interface Leaderboard {
  spec: string;
  /** 1-based, as on the command line. */
  reg: number;
  data: string;
  measures: Measure[];
  budget: Budget & { rungSteps: number[] };
  /** Variant ids trained in each rung. */
  rungs: string[][];
  /** Unique formulas trained (variants and baselines). */
  unique: number;
  /** Candidates merged into an equivalent formula instead of being trained again. */
  duplicatesMerged: number;
  /** Unique candidates left out by --max-variants. */
  truncated: number;
  /** Variants trained from each rewrite family (--max-variants samples across them). */
  sampled: Partial<Record<RewriteFamily, number>>;
  /** Degenerate rewrites not trained (one value whatever D does). */
  skipped: SkippedVariant[];
  /** Rungs where every clean entrant scored the same on every measure (ranking.ts tiedRungs). */
  tiedRungs: number[];
  /** The first rung tied: the order of the whole leaderboard is no evidence, and every clean row shares rank 1. */
  noSignal: boolean;
  trials: number;
  done: boolean;
  ranking: RankedVariant[];
}

export const LEADERBOARD_MD = 'leaderboard.md';
export const LEADERBOARD_JSON = 'leaderboard.json';
export const SEARCH_HTML = 'search.html';

export function formatScore(row: RankedVariant, name: string): string {
  if (!row.scores) return '—';
  const digits = Math.abs(row.scores.mean[name]) >= 100 ? 1 : 3;
  const mean = row.scores.mean[name].toFixed(digits);
  return row.scores.n > 1 ? `${mean} ± ${row.scores.std[name].toFixed(digits)}` : mean;
}

const mergedText = (r: RankedVariant): string => r.duplicates.map((edits) => edits.join(' + ')).join('; ');

/** `vm:13022` as a person reads it. */
export function describeWorker(worker: string): string {
  const at = worker.lastIndexOf(':');
  return at > 0 ? `host ${worker.slice(0, at)}, pid ${worker.slice(at + 1)}` : worker;
}

/** What the leaderboard says before its table: no signal, tied rungs, sampling, skipped variants. */
export function notes(board: Leaderboard): string[] {
  const lines: string[] = [];
  const scores = (r: RankedVariant | undefined): string =>
    (r?.scores ? board.measures.map((m) => `${m.name} ${+r.scores!.mean[m.name].toFixed(4)}`).join(', ') : '');
  if (board.noSignal) {
    lines.push(`No signal: at ${board.budget.rungSteps[0]} steps every variant and baseline scored the same `
      + `(${scores(board.ranking.find((r) => r.scores))}), so this budget cannot tell the formulas apart and the order below `
      + 'is no ranking: all share rank 1, and which went on to longer rungs was generation order. '
      + 'Train longer (--min-steps, --max-steps), with more --eval-samples, or a larger --batch.');
  }
  for (const rung of board.noSignal ? [] : board.tiedRungs.filter((r) => r > 0)) {
    lines.push(`Tie: at ${board.budget.rungSteps[rung]} steps (rung ${rung}) every entrant scored the same; their shared rank says so.`);
  }
  if (board.truncated > 0) {
    const kept = Object.entries(board.sampled).map(([family, n]) => `${family} ${n}`).join(', ');
    lines.push(`--max-variants kept ${board.unique - 2} of ${board.unique - 2 + board.truncated} unique variants, taken from each rewrite `
      + `family in turn (${kept}).`);
  }
  if (board.skipped.length > 0) {
    lines.push(`Skipped ${board.skipped.length} degenerate variant${board.skipped.length === 1 ? '' : 's'}, whose formula takes one value `
      + `whatever D does (decided by interval arithmetic over each quantity's range): `
      + `${board.skipped.map((s) => `\`${s.reg}\` (${s.edits.join(' + ')}: ${s.why})`).join('; ')}.`);
  }
  return lines;
}

/**
 * A trial's report.html as a path relative to the search directory, when its run lies inside it (a local
 * trial); a queue worker's run is on its own machine and gets no link.
 */
export function reportLink(searchDir: string, trial: RankedTrial): string | undefined {
  if (!trial.runDir) return undefined;
  const path = relative(resolve(searchDir), resolve(trial.runDir));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return existsSync(join(trial.runDir, 'report.html')) ? `${path.split(sep).join('/')}/report.html` : undefined;
}
const kindLabel = (row: RankedVariant): string => (row.kind === 'variant' ? row.id : `${row.id} (baseline)`);
const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

function markdown(board: Leaderboard): string {
  const head = ['rank', 'variant', 'reg', 'canonical key', 'steps per rung', 'seeds', ...board.measures.map((m) => `${m.name} (${m.better} is better)`), 'flags', 'equivalent candidates merged'];
  const rankText = (r: RankedVariant): string => (board.ranking.filter((o) => o.rank === r.rank).length > 1 ? `${r.rank} (tie)` : String(r.rank));
  const rows = board.ranking.map((r) => [
    rankText(r), kindLabel(r), `\`${r.reg}\``, `\`${r.key}\``, r.budget.join(', '), String(r.seeds.length),
    ...board.measures.map((m) => formatScore(r, m.name)), r.flags.map((f) => `${f.trialId}: ${f.what}`).join('; '), mergedText(r),
  ].map(escapeCell));
  const b = board.budget;
  return [
    `# Formula search: ${board.spec}, reg ${board.reg}`,
    '',
    `Data ${board.data}; successive halving with η = ${b.eta}, rungs of ${b.rungSteps.join(', ')} steps, `
      + `${b.seeds} seed(s) in the last rung (from seed ${b.baseSeed})${b.batch ? `, batch ${b.batch}` : ''}, ${b.evalSamples} samples per evaluation.`,
    `${board.unique} unique formulas trained in ${board.trials} trials; ${board.duplicatesMerged} equivalent candidates merged`
      + `${board.truncated > 0 ? `; ${board.truncated} left out by --max-variants` : ''}.${board.done ? '' : ' **The search has not finished.**'}`,
    'Order: clean variants by the highest rung reached, then by score there (mean ± std over seeds); diverged or failed variants last. '
      + 'Equal scores share a rank.',
    '',
    ...notes(board).flatMap((line) => [`**${line.split(':')[0]}:**${line.slice(line.indexOf(':') + 1)}`, '']),
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each trial of a row: a link to its report where it lies in the search directory, else its name and worker. */
function trialCells(searchDir: string, r: RankedVariant): string {
  return r.trials.map((t) => {
    const name = `${t.steps} steps, seed ${t.seed}`;
    const link = reportLink(searchDir, t);
    return link ? `<a href="${escapeHtml(encodeURI(link))}">${name}</a>` : `${name} <small>(${escapeHtml(describeWorker(t.worker))})</small>`;
  }).join('<br>');
}

async function html(searchDir: string, board: Leaderboard): Promise<string> {
  const head = ['rank', 'variant', 'reg', 'canonical key', 'steps per rung', 'seeds', ...board.measures.map((m) => m.name), 'flags', 'merged', 'trial reports'];
  const rows = board.ranking.map((r) => [
    board.ranking.filter((o) => o.rank === r.rank).length > 1 ? `${r.rank} (tie)` : String(r.rank), kindLabel(r), r.reg, r.key, r.budget.join(', '), String(r.seeds.length),
    ...board.measures.map((m) => formatScore(r, m.name)), r.flags.map((f) => `${f.trialId}: ${f.what}`).join('; '), mergedText(r),
  ]);
  const charts = await Promise.all(board.measures.map((m) => renderScoreChartSvg(board.ranking, m)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ganc search: ${escapeHtml(board.spec)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
tr.flagged{color:#a00}code{font-size:90%}p.note{background:#fff4d6;padding:6px 10px;max-width:60em}</style></head><body>
<h1>Formula search: ${escapeHtml(board.spec)}, reg ${board.reg}</h1>
<p>Data ${escapeHtml(board.data)}; rungs of ${board.budget.rungSteps.join(', ')} steps (η = ${board.budget.eta}); ${board.budget.seeds} seed(s) in the last rung.
${board.unique} unique formulas, ${board.trials} trials, ${board.duplicatesMerged} equivalent candidates merged.${board.done ? '' : ' <b>The search has not finished.</b>'}</p>
${notes(board).map((line) => `<p class="note"><b>${escapeHtml(line.split(':')[0])}:</b>${escapeHtml(line.slice(line.indexOf(':') + 1))}</p>`).join('\n')}
${charts.join('\n')}
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${board.ranking.map((r, i) => `<tr${r.flags.length > 0 ? ' class="flagged"' : ''}>${rows[i].map((c, j) => `<td>${j === 2 || j === 3 ? `<code>${escapeHtml(c)}</code>` : escapeHtml(c)}</td>`).join('')}<td>${trialCells(searchDir, r)}</td></tr>`).join('\n')}
</tbody></table></body></html>
`;
}

export async function writeLeaderboard(searchDir: string, board: Leaderboard): Promise<void> {
  writeFileAtomic(join(searchDir, LEADERBOARD_JSON), `${JSON.stringify(board, null, 2)}\n`);
  writeFileAtomic(join(searchDir, LEADERBOARD_MD), markdown(board));
  writeFileAtomic(join(searchDir, SEARCH_HTML), await html(searchDir, board));
}

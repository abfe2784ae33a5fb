// The results of a search as files a person reads: leaderboard.md, leaderboard.json (the same facts,
// for programs) and search.html (the table and a bar chart per quality measure).
import { join } from 'node:path';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { RankedVariant } from './ranking.js';
import type { Budget } from './scheduler.js';
import type { Measure } from './scores.js';
import { renderScoreChartSvg } from './score-chart.js';

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
const kindLabel = (row: RankedVariant): string => (row.kind === 'variant' ? row.id : `${row.id} (baseline)`);
const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

function markdown(board: Leaderboard): string {
  const head = ['rank', 'variant', 'reg', 'canonical key', 'steps per rung', 'seeds', ...board.measures.map((m) => `${m.name} (${m.better} is better)`), 'flags', 'equivalent candidates merged'];
  const rows = board.ranking.map((r) => [
    String(r.rank), kindLabel(r), `\`${r.reg}\``, `\`${r.key}\``, r.budget.join(', '), String(r.seeds.length),
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
    'Order: clean variants by the highest rung reached, then by score there (mean ± std over seeds); diverged or failed variants last.',
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function html(board: Leaderboard): Promise<string> {
  const head = ['rank', 'variant', 'reg', 'canonical key', 'steps per rung', 'seeds', ...board.measures.map((m) => m.name), 'flags', 'merged'];
  const rows = board.ranking.map((r) => [
    String(r.rank), kindLabel(r), r.reg, r.key, r.budget.join(', '), String(r.seeds.length),
    ...board.measures.map((m) => formatScore(r, m.name)), r.flags.map((f) => `${f.trialId}: ${f.what}`).join('; '), mergedText(r),
  ]);
  const charts = await Promise.all(board.measures.map((m) => renderScoreChartSvg(board.ranking, m)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ganc search: ${escapeHtml(board.spec)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
tr.flagged{color:#a00}code{font-size:90%}</style></head><body>
<h1>Formula search: ${escapeHtml(board.spec)}, reg ${board.reg}</h1>
<p>Data ${escapeHtml(board.data)}; rungs of ${board.budget.rungSteps.join(', ')} steps (η = ${board.budget.eta}); ${board.budget.seeds} seed(s) in the last rung.
${board.unique} unique formulas, ${board.trials} trials, ${board.duplicatesMerged} equivalent candidates merged.${board.done ? '' : ' <b>The search has not finished.</b>'}</p>
${charts.join('\n')}
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${board.ranking.map((r, i) => `<tr${r.flags.length > 0 ? ' class="flagged"' : ''}>${rows[i].map((c, j) => `<td>${j === 2 || j === 3 ? `<code>${escapeHtml(c)}</code>` : escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></body></html>
`;
}

export async function writeLeaderboard(searchDir: string, board: Leaderboard): Promise<void> {
  writeFileAtomic(join(searchDir, LEADERBOARD_JSON), `${JSON.stringify(board, null, 2)}\n`);
  writeFileAtomic(join(searchDir, LEADERBOARD_MD), markdown(board));
  writeFileAtomic(join(searchDir, SEARCH_HTML), await html(board));
}

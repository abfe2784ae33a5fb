// What a search says when its results mean little: all scores tied (no signal), equal scores sharing a
// rank, --max-variants sampling every rewrite family, degenerate variants skipped with a note, and
// search.html linking each local trial's report. Trials are not trained: results are made up.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ir/ir.js';
import { foldExpr } from '../../src/terms/expr.js';
import { UNARY_FUNCTIONS } from '../../src/terms/functions.js';
import { termDefinition } from '../../src/terms/regularizer-terms/index.js';
import { checkSpecText } from '../../src/search/check-spec.js';
import { degeneracy } from '../../src/search/degenerate.js';
import { describeWorker, writeLeaderboard } from '../../src/search/leaderboard.js';
import { DEFAULT_GRID, REWRITE_FAMILIES, type RewriteFamily } from '../../src/search/rewrites.js';
import { planSearch, type Budget } from '../../src/search/scheduler.js';
import { createSearch, leaderboardOf } from '../../src/search/search.js';
import type { SearchConfig, SearchState } from '../../src/search/state.js';
import type { Trial, TrialResult } from '../../src/search/trial.js';
import { generateVariants } from '../../src/search/variants.js';
import { regOf, RING8_SPEC } from './formulas.js';
import { checkSearchDir } from './leaderboard-checks.js';

const budget: Budget = { minSteps: 5, maxSteps: 15, eta: 3, seeds: 2, baseSeed: 0, evalSamples: 100 };

function config(families: RewriteFamily[], maxVariants = 100): SearchConfig {
  return { specFile: RING8_SPEC, regIndex: 0, families, grid: { ...DEFAULT_GRID, functions: ['abs', 'square', 'sin'] }, depth: 1, maxVariants, budget };
}

/** A search of ring8's `reg 0.1 * r1` whose every trial "finishes" with `quality(trial)`, and its files. */
async function finishedSearch(quality: (t: Trial) => Record<string, number>, runDirOf: (t: Trial, dir: string) => string = () => '') {
  const dir = join(mkdtempSync(join(tmpdir(), 'ganc-honesty-')), 'search');
  const state: SearchState = createSearch(dir, config(['fn', 'scale']), readFileSync(RING8_SPEC, 'utf8'));
  for (let plan = planSearch(state.variants, budget, state.results, state.measures, RING8_SPEC); !plan.done;
    plan = planSearch(state.variants, budget, state.results, state.measures, RING8_SPEC)) {
    for (const t of plan.pending) {
      state.results[t.id] = {
        trialId: t.id, variantId: t.variantId, rung: t.rung, steps: t.steps, seed: t.seed, quality: quality(t),
        diverged: null, error: null, runDir: runDirOf(t, dir), worker: 'vm:13022', seconds: 1,
      } satisfies TrialResult;
    }
  }
  writeFileSync(join(dir, 'search-state.json'), `${JSON.stringify(state)}\n`);
  const board = leaderboardOf(state);
  await writeLeaderboard(dir, board);
  return { dir, state, board, md: readFileSync(join(dir, 'leaderboard.md'), 'utf8'), html: readFileSync(join(dir, 'search.html'), 'utf8') };
}

describe('scores that tell nothing', () => {
  it('all scores 0: the leaderboard says the budget gives no signal, and no variant ranks above another', async () => {
    const { dir, board, md, html } = await finishedSearch(() => ({ modes: 0, hq_share: 0 }));
    expect(board.noSignal).toBe(true);
    expect(board.tiedRungs).toEqual([0, 1]);
    expect(new Set(board.ranking.map((r) => r.rank))).toEqual(new Set([1]));
    expect(md).toContain('**No signal:** at 5 steps every variant and baseline scored the same (modes 0, hq_share 0), so this budget cannot tell the formulas apart');
    expect(md).toMatch(/^\| 1 \(tie\) \| /m);
    expect(html).toContain('<b>No signal:</b>');
    expect(JSON.parse(readFileSync(join(dir, 'leaderboard.json'), 'utf8')).noSignal).toBe(true);
    checkSearchDir(dir);
  });

  it('distinct scores rank as before; equal scores share a rank (1, 1, 3), and nothing claims no signal', async () => {
    // Every variant covers as many modes as its number; the baselines tie with each other.
    const modes = (t: Trial): number => (t.variantId.startsWith('v') ? Number(t.variantId.slice(1)) : 0);
    const { dir, board, md } = await finishedSearch((t) => ({ modes: modes(t), hq_share: 0.5 }));
    expect(board.noSignal).toBe(false);
    expect(md).not.toContain('No signal');
    const baselines = board.ranking.filter((r) => r.kind !== 'variant');
    expect(baselines[0].rank).toBe(baselines[1].rank);
    expect(board.ranking[0].rank).toBe(1);
    expect(board.ranking[1].rank).toBe(2);
    checkSearchDir(dir);
  });
});

describe('search.html', () => {
  it('links each local trial\'s report by a relative path; a remote trial names its worker instead', async () => {
    const { html, state } = await finishedSearch(() => ({ modes: 1, hq_share: 0.5 }), (t, dir) => {
      if (t.variantId === 'no-regularizer') return '/elsewhere/on/a/worker/run-1';
      const run = join(dir, 'runs', t.id, 'tiny-20261201');
      mkdirSync(run, { recursive: true });
      writeFileSync(join(run, 'report.html'), '<html></html>');
      return run;
    });
    const local = Object.values(state.results).find((r) => r.variantId === 'original')!;
    expect(html).toContain(`<a href="runs/${local.trialId}/tiny-20261201/report.html">${local.steps} steps, seed ${local.seed}</a>`);
    expect(html).not.toContain('/elsewhere/on/a/worker');
    expect(html).toContain('5 steps, seed 0 <small>(host vm, pid 13022)</small>');
    expect(describeWorker('vm:13022')).toBe('host vm, pid 13022');
  });
});

describe('--max-variants', () => {
  const text = readFileSync(RING8_SPEC, 'utf8');
  const ir = checkSpecText(text, RING8_SPEC);

  it('samples every family in turn instead of taking the first N of one', () => {
    const all = generateVariants(text, RING8_SPEC, ir, config(['fn', 'exp', 'scale', 'combine']));
    const families = (set: typeof all) => set.variants.flatMap((v) => (v.family ? [v.family] : []));
    // In generation order the first four are all fn rewrites: the cap used to keep only those.
    expect(families(all).slice(0, 4)).toEqual(['fn', 'fn', 'fn', 'fn']);
    const capped = generateVariants(text, RING8_SPEC, ir, config(['fn', 'exp', 'scale', 'combine'], 4));
    expect(families(capped).sort()).toEqual(['combine', 'exp', 'fn', 'scale']);
    expect(capped.truncated).toBe(all.variants.length - 2 - 4);
    // The same options give the same variants, each one of the uncapped set.
    expect(generateVariants(text, RING8_SPEC, ir, config(['fn', 'exp', 'scale', 'combine'], 4)).variants.map((v) => v.reg))
      .toEqual(capped.variants.map((v) => v.reg));
    const keys = new Set(all.variants.map((v) => v.key));
    for (const v of capped.variants) expect(keys.has(v.key)).toBe(true);
  });

  it('says in the leaderboard how many it kept of each family', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ganc-honesty-')), 'capped');
    const state = createSearch(dir, config(['fn', 'scale'], 3), text);
    const board = leaderboardOf(state);
    expect(board.sampled).toEqual({ fn: 2, scale: 1 });
    await writeLeaderboard(dir, board);
    expect(readFileSync(join(dir, 'leaderboard.md'), 'utf8')).toMatch(/--max-variants kept 3 of \d+ unique variants, taken from each rewrite family in turn \(fn 2, scale 1\)/);
  });
});

/** A formula's value when each term takes a given value (formulas of terms, numbers and lets only). */
function valueOf(e: Expr, terms: (name: string) => number): number {
  return foldExpr<number>(e, {
    num: (n) => n.value, const: (c) => c.value,
    binary: (b, x, y) => ({ add: x + y, sub: x - y, mul: x * y, div: x / y, pow: x ** y })[b.op],
    neg: (_n, x) => -x, call: (c, x) => UNARY_FUNCTIONS[c.fn].value(x), reduce: (_r, x) => x,
    norm: () => { throw new Error('not a term formula'); }, D: () => { throw new Error('not a term formula'); },
    grad: () => { throw new Error('not a term formula'); }, term: (t) => terms(t.term),
  });
}

describe('degenerate variants', () => {
  it.each([
    ['relu(sin(R_t) - 1)', 'identically 0'],
    ['relu(tanh(R) - 1)', 'identically 0'],
    ['relu(sin(sin(R)) - 0.9)', 'identically 0'],
    ['relu(-r1)', 'identically 0'],
    ['mean(relu(-norm(grad(D, real))))', 'identically 0'],
    ['cos(gp) ^ 0 + 1', 'constant 2'],
    ['log(-1 - r1)', 'always NaN'],
    ['lambda * R_t ^ 3', undefined],
    ['relu(sin(R) - 0.5)', undefined],
    ['tanh(r1) - 2', undefined],
    ['sum(relu(D(fake)) * 0 + 1)', undefined], // a sum of 1s over the batch: as many as the batch has
  ])('%s: %s', (formula, expected) => {
    const reg = regOf(`reg ${formula}${formula.includes('R_t') ? ' window 2' : ''}`);
    expect(degeneracy(reg.formula)).toBe(expected);
  });

  it('is sound: what it calls constant takes that value wherever its terms are sampled', () => {
    const random = (nonNegative: boolean) => (Math.random() < 0.2 ? 0 : (nonNegative ? 1 : Math.sign(Math.random() - 0.5)) * Math.exp(6 * Math.random() - 3));
    for (const formula of ['relu(sin(R_t) - 1)', 'relu(tanh(R) - 1)', 'relu(sin(sin(R)) - 0.9)', 'relu(-r1)', 'cos(gp) ^ 0 + 1', 'relu(cos(R) - 1)']) {
      const reg = regOf(`reg ${formula}${formula.includes('R_t') ? ' window 2' : ''}`);
      const why = degeneracy(reg.formula)!;
      const constant = why === 'identically 0' ? 0 : Number(why.replace('constant ', ''));
      for (let i = 0; i < 500; i++) {
        const values: Record<string, number> = {};
        const value = valueOf(reg.formula, (t) => (values[t] ??= random(termDefinition(t as 'gp').nonNegative)));
        expect(value, `${formula} at ${JSON.stringify(values)}`).toBeCloseTo(constant, 12);
      }
    }
  });

  it('a search skips them and says which and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganc-degenerate-'));
    const spec = join(dir, 'relu.gan');
    writeFileSync(spec, readFileSync(RING8_SPEC, 'utf8').replace(/^reg .*$/m, 'reg relu(R - 1)'));
    const searchConfig = { ...config(['fn']), specFile: spec, grid: { ...DEFAULT_GRID, functions: ['sin', 'tanh', 'abs'] as const } };
    const state = createSearch(join(dir, 'search'), { ...searchConfig, grid: { ...searchConfig.grid, functions: ['sin', 'tanh', 'abs'] } }, readFileSync(spec, 'utf8'));
    expect(state.skipped).toEqual([
      { reg: 'reg relu(sin(R) - 1)', edits: ['sin on R'], why: 'identically 0' },
      { reg: 'reg relu(tanh(R) - 1)', edits: ['tanh on R'], why: 'identically 0' },
    ]);
    expect(state.variants.map((v) => v.reg)).not.toContain('reg relu(sin(R) - 1)');
    const board = leaderboardOf(state);
    await writeLeaderboard(join(dir, 'search'), board);
    expect(readFileSync(join(dir, 'search', 'leaderboard.md'), 'utf8')).toContain(
      '**Skipped 2 degenerate variants, whose formula takes one value whatever D does (decided by interval arithmetic over each quantity\'s range):** '
      + '`reg relu(sin(R) - 1)` (sin on R: identically 0); `reg relu(tanh(R) - 1)` (tanh on R: identically 0).');
  });

  it('every family of the default grid on the design card\'s formula leaves nothing degenerate', () => {
    const text = readFileSync(RING8_SPEC, 'utf8');
    const { skipped } = generateVariants(text, RING8_SPEC, checkSpecText(text, RING8_SPEC), { ...config(REWRITE_FAMILIES), grid: DEFAULT_GRID });
    expect(skipped).toEqual([]);
  });
});

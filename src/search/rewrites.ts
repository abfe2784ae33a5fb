// The rewrite families of a formula search. Each takes a formula (with its window) and returns its
// neighbours, one edit away, each with a short description of the edit. Nothing here deduplicates:
// equivalent results are expected and are merged later by canonical key.
import type { BuiltinTerm, Expr, UnaryFn } from '../ir/ir.js';
import { children } from '../terms/expr.js';
import { usesWindowedTerm } from '../terms/regularizer-terms/index.js';
import { at, binary, call, constantValue, nodes, num, replaceAt, type Path } from './expr.js';

export type RewriteFamily = 'fn' | 'exp' | 'scale' | 'combine' | 'window';
export const REWRITE_FAMILIES: RewriteFamily[] = ['fn', 'exp', 'scale', 'combine', 'window'];

/** `identity` removes a function: it is not a function of the language. */
export type FunctionChoice = UnaryFn | 'identity';

export interface RewriteGrid {
  functions: FunctionChoice[];
  exponents: number[];
  scales: number[];
  combineTerms: BuiltinTerm[];
  combineScales: number[];
  windows: number[];
}

export const DEFAULT_GRID: RewriteGrid = {
  functions: ['identity', 'abs', 'square', 'cube', 'sin', 'tanh', 'softplus'],
  exponents: [1, 2, 3],
  scales: [0.1, 0.3, 3, 10],
  combineTerms: ['gp', 'r1'],
  combineScales: [0.1, 1, 10],
  windows: [1, 2, 4],
};

export interface Candidate {
  formula: Expr;
  window: number;
  /** What was done to the spec's formula, one entry per edit. */
  edits: string[];
}

/**
 * The places a function can be swapped: each quantity the formula is built from (a built-in term,
 * D(...), norm(...)), together with the function already applied to it, if any; and the whole formula.
 * `inner` is what stays when the function is swapped.
 */
interface FunctionSite { path: Path; inner: Expr; label: string }

const isQuantity = (e: Expr): boolean => e.op === 'term' || e.op === 'D' || e.op === 'norm';

function quantityLabel(e: Expr): string {
  if (e.op === 'term') return e.term;
  if (e.op === 'D') return `D(${e.input})`;
  return 'norm';
}

function functionSites(formula: Expr): FunctionSite[] {
  const sites: FunctionSite[] = [];
  const visit = (e: Expr, path: Path, parent: Expr | undefined): void => {
    if (isQuantity(e)) {
      const wrapped = parent?.op === 'call' ? path.slice(0, -1) : path;
      sites.push({ path: wrapped, inner: e, label: quantityLabel(e) });
      return; // a quantity's inside (norm's argument) is not varied
    }
    children(e).forEach((k, i) => visit(k, [...path, i], e));
  };
  visit(formula, [], undefined);
  const top = formula.op === 'call' ? formula.arg : formula;
  if (!sites.some((s) => s.path.length === 0)) sites.push({ path: [], inner: top, label: 'the whole formula' });
  return sites;
}

function applyFunction(fn: FunctionChoice, inner: Expr): Expr {
  return fn === 'identity' ? inner : call(fn, inner);
}

function currentFunction(formula: Expr, site: FunctionSite): FunctionChoice {
  const node = at(formula, site.path);
  return node.op === 'call' && node.arg === site.inner ? node.fn : 'identity';
}

export function swapFunctions(c: Candidate, grid: RewriteGrid): Candidate[] {
  return functionSites(c.formula).flatMap((site) => {
    const current = currentFunction(c.formula, site);
    return grid.functions.filter((fn) => fn !== current).map((fn) => ({
      formula: replaceAt(c.formula, site.path, applyFunction(fn, site.inner)),
      window: c.window,
      edits: [...c.edits, `${fn} on ${site.label}`],
    }));
  });
}

export function changeExponents(c: Candidate, grid: RewriteGrid): Candidate[] {
  const out: Candidate[] = [];
  const all = nodes(c.formula);
  for (const { node, path } of all) {
    if (node.op !== 'pow' || constantValue(node.args[1]) === undefined) continue;
    for (const k of grid.exponents.filter((k) => k !== constantValue(node.args[1]))) {
      const replaced = k === 1 ? node.args[0] : binary('pow', node.args[0], num(k));
      out.push({ formula: replaceAt(c.formula, path, replaced), window: c.window, edits: [...c.edits, `exponent ${k}`] });
    }
  }
  // A quantity with no exponent yet gets one.
  for (const site of functionSites(c.formula)) {
    if (site.path.length > 0 && at(c.formula, site.path.slice(0, -1)).op === 'pow') continue;
    for (const k of grid.exponents.filter((k) => k !== 1)) {
      const raised = binary('pow', at(c.formula, site.path), num(k));
      out.push({ formula: replaceAt(c.formula, site.path, raised), window: c.window, edits: [...c.edits, `${site.label}^${k}`] });
    }
  }
  return out;
}

/**
 * k × formula, written the way a person would: the leading constant factor absorbs k when it is a number
 * (`0.1 * r1` × 3 → `0.3 * r1`), otherwise k goes in front (`lambda * R_t ^ 3` → `0.1 * lambda * R_t ^ 3`).
 */
export function scaleFormula(formula: Expr, k: number): Expr {
  if (formula.op === 'mul') return binary('mul', scaleFormula(formula.args[0], k), formula.args[1]);
  if (formula.op === 'num') return num(formula.value * k);
  return binary('mul', num(k), formula);
}

export function scaleConstants(c: Candidate, grid: RewriteGrid): Candidate[] {
  return grid.scales.filter((k) => k !== 1).map((k) => ({
    formula: scaleFormula(c.formula, k), window: c.window, edits: [...c.edits, `×${k}`],
  }));
}

export function combineTerms(c: Candidate, grid: RewriteGrid): Candidate[] {
  return grid.combineTerms.flatMap((term) => grid.combineScales.map((k) => ({
    formula: binary('add', c.formula, binary('mul', num(k), { op: 'term', term, type: 'scalar' } as Expr)),
    window: c.window,
    edits: [...c.edits, `+ ${k}*${term}`],
  })));
}

/** Only windowed terms (R_t) have a window: for any other formula every window trains the same. */
export function changeWindow(c: Candidate, grid: RewriteGrid): Candidate[] {
  if (!usesWindowedTerm(c.formula)) return [];
  return grid.windows.filter((w) => w !== c.window).map((w) => ({
    formula: c.formula, window: w, edits: [...c.edits, `window ${w}`],
  }));
}

const REWRITES: Record<RewriteFamily, (c: Candidate, grid: RewriteGrid) => Candidate[]> = {
  fn: swapFunctions,
  exp: changeExponents,
  scale: scaleConstants,
  combine: combineTerms,
  window: changeWindow,
};

export function rewrite(c: Candidate, families: RewriteFamily[], grid: RewriteGrid): Candidate[] {
  return families.flatMap((family) => REWRITES[family](c, grid));
}

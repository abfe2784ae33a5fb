// Canonical form of a regularizer formula: two variants with the same key compute the same function of
// the same quantities, so a search trains them once. The form is a small algebra of its own:
// sums and products are flattened, their constants folded and operands sorted; like terms and like
// factors are collected; a - b is a + (-1)·b and a / c is a · (1/c); square(x) is x^2, cube(x) is x^3;
// x^1 is x; abs and relu of what cannot be negative (terms and functions the registry marks non-negative,
// norms, even powers, …) and even powers of abs lose the function; `let` constants are their values; a
// windowed term with window 1 is the term it averages (R_t is R), and window only counts where a windowed
// term appears. Rules that change a value anywhere (e.g. (x^2)^0.5 = x) are not used.
import type { Expr } from '../ir/ir.js';
import { foldExpr } from '../terms/expr.js';
import { UNARY_FUNCTIONS, unaryFunction, type UnaryFn } from '../terms/functions.js';
import { isBuiltinTerm, termDefinition, type BuiltinTerm } from '../terms/regularizer-terms/index.js';
import { roundNumber } from './expr.js';

type Canon =
  | { k: 'num'; v: number }
  | { k: 'atom'; name: string }
  | { k: 'add'; xs: Canon[] }
  | { k: 'mul'; xs: Canon[] }
  | { k: 'pow'; base: Canon; exp: Canon }
  | { k: 'fn'; fn: string; x: Canon };

const cnum = (v: number): Canon => ({ k: 'num', v: roundNumber(v) });
const isNum = (c: Canon): c is { k: 'num'; v: number } => c.k === 'num';
const isNumber = (c: Canon, v: number): boolean => c.k === 'num' && c.v === v;

export function keyOf(c: Canon): string {
  switch (c.k) {
    case 'num': return String(c.v);
    case 'atom': return c.name;
    case 'add': return `(+ ${c.xs.map(keyOf).join(' ')})`;
    case 'mul': return `(* ${c.xs.map(keyOf).join(' ')})`;
    case 'pow': return `(^ ${keyOf(c.base)} ${keyOf(c.exp)})`;
    case 'fn': return `(${c.fn} ${keyOf(c.x)})`;
  }
}

/** Numbers first, then everything else in key order: a fixed operand order for + and ·. */
function byKey(a: Canon, b: Canon): number {
  if (a.k === 'num' && b.k !== 'num') return -1;
  if (b.k === 'num' && a.k !== 'num') return 1;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A term of a sum as coefficient × rest. */
function splitCoefficient(c: Canon): { coef: number; rest: Canon | null } {
  if (isNum(c)) return { coef: c.v, rest: null };
  if (c.k === 'mul' && isNum(c.xs[0])) {
    const rest = c.xs.slice(1);
    return { coef: c.xs[0].v, rest: rest.length === 1 ? rest[0] : { k: 'mul', xs: rest } };
  }
  return { coef: 1, rest: c };
}

function add(parts: Canon[]): Canon {
  const flat = parts.flatMap((p) => (p.k === 'add' ? p.xs : [p]));
  let constant = 0;
  const like = new Map<string, { coef: number; rest: Canon }>();
  for (const part of flat) {
    const { coef, rest } = splitCoefficient(part);
    if (rest === null) { constant += coef; continue; }
    const key = keyOf(rest);
    const seen = like.get(key);
    like.set(key, { coef: (seen?.coef ?? 0) + coef, rest });
  }
  const terms = [...like.values()].filter((t) => roundNumber(t.coef) !== 0).map((t) => mul([cnum(t.coef), t.rest]));
  if (roundNumber(constant) !== 0) terms.push(cnum(constant));
  if (terms.length === 0) return cnum(0);
  return terms.length === 1 ? terms[0] : { k: 'add', xs: terms.sort(byKey) };
}

function mul(parts: Canon[]): Canon {
  const flat = parts.flatMap((p) => (p.k === 'mul' ? p.xs : [p]));
  let coef = 1;
  // Like factors x^a · x^b = x^(a+b), only for whole exponents (true for every real x).
  const factors = new Map<string, { base: Canon; exps: Canon[] }>();
  for (const part of flat) {
    if (isNum(part)) { coef *= part.v; continue; }
    const { base, exp } = part.k === 'pow' ? part : { base: part, exp: cnum(1) };
    const key = keyOf(base);
    const seen = factors.get(key);
    factors.set(key, { base, exps: [...(seen?.exps ?? []), exp] });
  }
  if (roundNumber(coef) === 0) return cnum(0);
  const rest = [...factors.values()].flatMap(({ base, exps }) => {
    const whole = exps.every((e) => isNum(e) && Number.isInteger(e.v));
    if (whole) return [pow(base, cnum(exps.reduce((s, e) => s + (e as { v: number }).v, 0)))];
    return exps.map((exp) => pow(base, exp));
  }).filter((f) => !isNumber(f, 1));
  const numbersInRest = rest.filter((f) => isNum(f));
  for (const n of numbersInRest) coef *= (n as { v: number }).v;
  const symbolic = rest.filter((f) => !isNum(f)).sort(byKey);
  if (symbolic.length === 0) return cnum(coef);
  const xs = roundNumber(coef) === 1 ? symbolic : [cnum(coef), ...symbolic];
  return xs.length === 1 ? xs[0] : { k: 'mul', xs };
}

function pow(base: Canon, exp: Canon): Canon {
  if (isNumber(exp, 1)) return base;
  if (isNumber(exp, 0)) return cnum(1);
  if (isNum(base) && isNum(exp)) {
    const value = base.v ** exp.v;
    if (Number.isFinite(value)) return cnum(value);
  }
  if (isNum(exp) && Number.isInteger(exp.v)) {
    const n = exp.v;
    // (x^a)^n = x^(a·n) and (a·b)^n = a^n · b^n hold for whole a and n.
    if (base.k === 'pow' && isNum(base.exp) && Number.isInteger(base.exp.v)) return pow(base.base, cnum(base.exp.v * n));
    if (base.k === 'mul') return mul(base.xs.map((x) => pow(x, exp)));
    // |x|^(2k) = x^(2k).
    if (base.k === 'fn' && base.fn === 'abs' && n % 2 === 0) return pow(base.x, exp);
  }
  return { k: 'pow', base, exp };
}

const isUnaryFn = (name: string): name is UnaryFn => name in UNARY_FUNCTIONS;

/** Atoms are built-in terms (by name, or `name[window]` for a windowed term) and D(...), grad(...). */
function atomIsNonNegative(name: string): boolean {
  const term = name.split('[')[0];
  return isBuiltinTerm(term) && termDefinition(term).nonNegative;
}

/** Known to be ≥ 0 wherever it is defined: then abs and relu of it are itself. */
function isNonNegative(c: Canon): boolean {
  switch (c.k) {
    case 'num': return c.v >= 0;
    case 'atom': return atomIsNonNegative(c.name);
    case 'fn':
      if (c.fn === 'norm') return true;
      if (isUnaryFn(c.fn)) return UNARY_FUNCTIONS[c.fn].nonNegative;
      return (c.fn === 'mean' || c.fn === 'sum') && isNonNegative(c.x);
    case 'pow': return (isNum(c.exp) && Number.isInteger(c.exp.v) && c.exp.v % 2 === 0) || isNonNegative(c.base);
    case 'add': case 'mul': return c.xs.every(isNonNegative);
  }
}

function fn(name: string, x: Canon): Canon {
  if (isNum(x) && isUnaryFn(name)) {
    const value = UNARY_FUNCTIONS[name].value(x.v);
    if (Number.isFinite(value)) return cnum(value);
  }
  if ((name === 'abs' || name === 'relu') && isNonNegative(x)) return x;
  if (name === 'abs' && x.k === 'mul' && isNum(x.xs[0])) return mul([cnum(Math.abs(x.xs[0].v)), fn('abs', mul(x.xs.slice(1)))]);
  return { k: 'fn', fn: name, x };
}

/** `mean`/`sum` of a scalar is the scalar; constant factors move outside (both are linear). */
function reduceOf(name: string, x: Canon, argIsScalar: boolean): Canon {
  if (argIsScalar) return x;
  const { coef, rest } = splitCoefficient(x);
  if (rest === null) return fn(name, x);
  return mul([cnum(coef), { k: 'fn', fn: name, x: rest }]);
}

/** A term's atom: a windowed term is its averaged term when the window is 1, else named with its window. */
function termAtom(name: BuiltinTerm, window: number): Canon {
  const term = termDefinition(name);
  if (term.kind !== 'windowed') return { k: 'atom', name };
  return window === 1 ? { k: 'atom', name: term.averages } : { k: 'atom', name: `${name}[${window}]` };
}

function canon(e: Expr, window: number): Canon {
  return foldExpr<Canon>(e, {
    num: (n) => cnum(n.value),
    const: (c) => cnum(c.value),
    term: (t) => termAtom(t.term, window),
    D: (d) => ({ k: 'atom', name: `D(${d.input})` }),
    grad: (g) => ({ k: 'atom', name: `grad(${g.input})` }),
    neg: (_n, x) => mul([cnum(-1), x]),
    binary: (b, left, right) => {
      switch (b.op) {
        case 'add': return add([left, right]);
        case 'sub': return add([left, mul([cnum(-1), right])]);
        case 'mul': return mul([left, right]);
        case 'div': return isNum(right) && right.v !== 0 ? mul([left, cnum(1 / right.v)]) : mul([left, pow(right, cnum(-1))]);
        case 'pow': return pow(left, right);
      }
    },
    call: (c, x) => {
      const power = unaryFunction(c.fn).power;
      return power === undefined ? fn(c.fn, x) : pow(x, cnum(power));
    },
    reduce: (r, x) => reduceOf(r.fn, x, r.arg.type === 'scalar'),
    norm: (_n, x) => fn('norm', x),
  });
}

/** The key of a regularizer: equal keys, equal training. */
export function canonicalKey(formula: Expr, window: number): string {
  return keyOf(canon(formula, window));
}

/** The key of "this regularizer removed". */
export const NO_REGULARIZER_KEY = 'none';

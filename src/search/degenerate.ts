// Degenerate variants: formulas that take one value whatever D does, such as relu(sin(R_t) - 1) (sin ≤ 1,
// so the argument is ≤ 0 and relu makes it 0), or log of something never positive. Such a regularizer adds
// a constant to D's loss, or NaN, so training it tells nothing: the search skips it with a note.
//
// The method is interval arithmetic, which is sound: every quantity a formula is built from gets the range
// of values it can take (a term the registry marks non-negative: [0, ∞); any other term, D(...) and
// grad(...): (−∞, ∞); norms: [0, ∞); numbers and lets: themselves), and each operation maps ranges to a
// range that contains every value it can produce (sin to at most [−1, 1], relu to [max(lo, 0), max(hi, 0)],
// sums over a batch of unknown size, ...). When the formula's range is a single point, the formula is that
// constant everywhere, so a variant is only ever skipped when it is certainly degenerate. The converse does
// not hold: ranges forget that two occurrences of a quantity are the same value (x − x is not seen to be 0),
// so some constant formulas pass; those whose canonical form cancels (x − x) are merged with the baseline
// without a regularizer instead.
import type { Expr } from '../ir/ir.js';
import { foldExpr } from '../terms/expr.js';
import type { UnaryFn } from '../terms/functions.js';
import { termDefinition } from '../terms/regularizer-terms/index.js';

/** The values a formula can take: [lo, hi] (either may be infinite), or always NaN. */
export interface Range {
  lo: number;
  hi: number;
  nan?: true;
}

const ANY: Range = { lo: -Infinity, hi: Infinity };
const NAN: Range = { lo: NaN, hi: NaN, nan: true };
const NON_NEGATIVE: Range = { lo: 0, hi: Infinity };
const point = (x: number): Range => (Number.isNaN(x) ? NAN : { lo: x, hi: x });

/** A range from computed bounds; a NaN bound (∞ − ∞ and the like) means the bounds are unknown. */
function range(lo: number, hi: number): Range {
  return Number.isNaN(lo) || Number.isNaN(hi) ? ANY : { lo, hi };
}

const isPoint = (r: Range): boolean => !r.nan && r.lo === r.hi;
const contains = (r: Range, x: number): boolean => r.lo <= x && x <= r.hi;

/** 0 · ±∞ = 0 at the bounds: the values inside are finite, so a zero factor wins. */
const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);

function mul(a: Range, b: Range): Range {
  const products = [times(a.lo, b.lo), times(a.lo, b.hi), times(a.hi, b.lo), times(a.hi, b.hi)];
  return range(Math.min(...products), Math.max(...products));
}

function div(a: Range, b: Range): Range {
  if (contains(b, 0)) return isPoint(b) ? NAN : ANY;
  return mul(a, { lo: 1 / b.hi, hi: 1 / b.lo });
}

/** A monotone function's range over [lo, hi], from its values at the ends. */
function monotone(r: Range, f: (x: number) => number): Range {
  const [a, b] = [f(r.lo), f(r.hi)];
  return range(Math.min(a, b), Math.max(a, b));
}

function pow(base: Range, exponent: Range): Range {
  if (isPoint(base) && isPoint(exponent)) return point(base.lo ** exponent.lo);
  if (!isPoint(exponent)) {
    // b^x with a fixed positive base is monotone in x; anything else is left unknown.
    return isPoint(base) && base.lo > 0 ? monotone(exponent, (x) => base.lo ** x) : ANY;
  }
  const k = exponent.lo;
  if (k === 0) return point(1);
  if (Number.isInteger(k)) {
    if (k < 0 && contains(base, 0)) return ANY;
    if (k % 2 !== 0 || base.lo >= 0 || base.hi <= 0) return monotone(base, (x) => x ** k);
    // An even power over a range around 0: smallest at 0.
    return k > 0 ? range(0, Math.max(base.lo ** k, base.hi ** k)) : ANY;
  }
  if (base.hi < 0) return NAN;
  return base.lo >= 0 ? monotone(base, (x) => x ** k) : ANY;
}

/** sin over [lo, hi]: its ends, and ±1 where a peak lies inside. `shift` makes it cos. */
function periodic(r: Range, f: (x: number) => number, peak: number): Range {
  if (!Number.isFinite(r.lo) || !Number.isFinite(r.hi) || r.hi - r.lo >= 2 * Math.PI) return { lo: -1, hi: 1 };
  let lo = Math.min(f(r.lo), f(r.hi));
  let hi = Math.max(f(r.lo), f(r.hi));
  const inside = (at: number): boolean => Math.ceil((r.lo - at) / (2 * Math.PI)) <= Math.floor((r.hi - at) / (2 * Math.PI));
  if (inside(peak)) hi = 1;
  if (inside(peak + Math.PI)) lo = -1;
  return { lo, hi };
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

function callRange(fn: UnaryFn, r: Range): Range {
  switch (fn) {
    case 'abs':
      if (r.lo >= 0) return r;
      if (r.hi <= 0) return { lo: -r.hi, hi: -r.lo };
      return { lo: 0, hi: Math.max(-r.lo, r.hi) };
    case 'sin': return periodic(r, Math.sin, Math.PI / 2);
    case 'cos': return periodic(r, Math.cos, 0);
    case 'exp': return monotone(r, Math.exp);
    case 'log':
      if (r.hi < 0) return NAN;
      return r.lo >= 0 ? monotone(r, Math.log) : ANY;
    case 'sqrt':
      if (r.hi < 0) return NAN;
      return r.lo >= 0 ? monotone(r, Math.sqrt) : ANY;
    case 'square': return pow(r, point(2));
    case 'cube': return pow(r, point(3));
    case 'relu': return { lo: Math.max(r.lo, 0), hi: Math.max(r.hi, 0) };
    case 'softplus': return monotone(r, softplus);
    case 'tanh': return monotone(r, Math.tanh);
  }
}

/** The range of a formula's values over every value its quantities can take. */
export function formulaRange(formula: Expr): Range {
  return foldExpr<Range>(formula, {
    num: (e) => point(e.value),
    const: (e) => point(e.value),
    binary: (e, a, b) => {
      if (a.nan || b.nan) return NAN;
      switch (e.op) {
        case 'add': return range(a.lo + b.lo, a.hi + b.hi);
        case 'sub': return range(a.lo - b.hi, a.hi - b.lo);
        case 'mul': return mul(a, b);
        case 'div': return div(a, b);
        case 'pow': return pow(a, b);
      }
    },
    neg: (_e, a) => (a.nan ? NAN : { lo: -a.hi, hi: -a.lo }),
    call: (e, a) => (a.nan ? NAN : callRange(e.fn, a)),
    reduce: (e, a) => {
      // A mean stays within its values' range; a sum over a batch of unknown size only keeps its sign.
      if (a.nan || e.fn === 'mean' || e.arg.type === 'scalar') return a;
      return { lo: a.lo >= 0 ? a.lo : -Infinity, hi: a.hi <= 0 ? a.hi : Infinity };
    },
    norm: (_e, a) => {
      if (a.nan) return NAN;
      if (a.lo === 0 && a.hi === 0) return point(0);
      return { lo: a.lo > 0 ? a.lo : a.hi < 0 ? -a.hi : 0, hi: Infinity };
    },
    D: () => ANY,
    grad: () => ANY,
    term: (e) => (termDefinition(e.term).nonNegative ? NON_NEGATIVE : ANY),
  });
}

/** Why a formula is degenerate (`identically 0`, `constant 2`, `always NaN`), or undefined when it is not known to be. */
export function degeneracy(formula: Expr): string | undefined {
  const r = formulaRange(formula);
  if (r.nan) return 'always NaN';
  if (r.lo !== r.hi) return undefined;
  if (r.lo === 0) return 'identically 0';
  return Number.isFinite(r.lo) ? `constant ${r.lo}` : `always ${r.lo}`;
}

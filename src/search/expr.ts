// Building and walking regularizer formulas (the IR's `Expr`). Rewrites and canonicalisation build new
// trees through these constructors, so every node carries the value type the checker would give it.
import type { BinaryOp, Expr, ReduceFn, UnaryFn, ValueType } from '../compiler/ir.js';

/** Numbers a search writes are rounded to 12 significant digits: 0.1 × 3 prints as 0.3 and reads back equal. */
export function roundNumber(x: number): number {
  return Number(x.toPrecision(12));
}

/** A broadcast's result type: the non-scalar side wins (the checker has already refused batch × sample). */
function joinTypes(a: ValueType, b: ValueType): ValueType {
  return a === 'scalar' ? b : a;
}

export const num = (value: number): Expr => ({ op: 'num', value: roundNumber(value), type: 'scalar' });
export const binary = (op: BinaryOp, left: Expr, right: Expr): Expr =>
  ({ op, args: [left, right], type: joinTypes(left.type, right.type) });
export const call = (fn: UnaryFn, arg: Expr): Expr => ({ op: 'call', fn, arg, type: arg.type });
export const neg = (arg: Expr): Expr => ({ op: 'neg', arg, type: arg.type });
export const reduce = (fn: ReduceFn, arg: Expr): Expr => ({ op: 'reduce', fn, arg, type: 'scalar' });

/** A numeric literal or a `let` constant: a value known before training. */
export function constantValue(e: Expr): number | undefined {
  return e.op === 'num' || e.op === 'const' ? e.value : undefined;
}

export function children(e: Expr): Expr[] {
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'pow': return [...e.args];
    case 'neg': case 'call': case 'reduce': case 'norm': return [e.arg];
    default: return [];
  }
}

/** The same node with new children (same arity), its type recomputed. */
export function withChildren(e: Expr, kids: Expr[]): Expr {
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'pow': return binary(e.op, kids[0], kids[1]);
    case 'neg': return neg(kids[0]);
    case 'call': return call(e.fn, kids[0]);
    case 'reduce': return reduce(e.fn, kids[0]);
    case 'norm': return { op: 'norm', arg: kids[0], type: 'batch' };
    default: return e;
  }
}

/** A node's place in a tree: child indices from the root. */
export type Path = number[];

export function at(e: Expr, path: Path): Expr {
  return path.reduce((node, i) => children(node)[i], e);
}

export function replaceAt(e: Expr, path: Path, replacement: Expr): Expr {
  if (path.length === 0) return replacement;
  const kids = children(e);
  kids[path[0]] = replaceAt(kids[path[0]], path.slice(1), replacement);
  return withChildren(e, kids);
}

/** Every node with its path, parents before children. */
export function nodes(e: Expr, path: Path = []): { node: Expr; path: Path }[] {
  return [{ node: e, path }, ...children(e).flatMap((c, i) => nodes(c, [...path, i]))];
}

export function usesRt(e: Expr): boolean {
  return nodes(e).some(({ node }) => node.op === 'term' && node.term === 'R_t');
}

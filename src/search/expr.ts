// Building regularizer formulas (the IR's `Expr`) for the search: constructors that give every node the
// value type the checker would, with numbers rounded as the search writes them, and paths into a tree
// for rewriting one node. The walk itself is the registry's (src/terms/expr.ts).
import type { BinaryOp, Expr, UnaryFn } from '../ir/ir.js';
import { children, joinTypes, withChildren } from '../terms/expr.js';

/** Numbers a search writes are rounded to 12 significant digits: 0.1 × 3 prints as 0.3 and reads back equal. */
export function roundNumber(x: number): number {
  return Number(x.toPrecision(12));
}

export const num = (value: number): Expr => ({ op: 'num', value: roundNumber(value), type: 'scalar' });
export const binary = (op: BinaryOp, left: Expr, right: Expr): Expr =>
  ({ op, args: [left, right], type: joinTypes(left.type, right.type) });
export const call = (fn: UnaryFn, arg: Expr): Expr => ({ op: 'call', fn, arg, type: arg.type });

/** A numeric literal or a `let` constant: a value known before training. */
export function constantValue(e: Expr): number | undefined {
  return e.op === 'num' || e.op === 'const' ? e.value : undefined;
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

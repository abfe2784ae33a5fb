// Regularizer formulas as the checker types them (the IR's `Expr`), and the one walk over them:
// `foldExpr` (bottom-up, one handler per node kind) that needs, evaluation, printing and the search's
// canonical form are all written with, plus `children`/`withChildren` for rewriting.
import type { UnaryFn, ReduceFn } from './functions.js';
import type { DInput } from './inputs.js';
import type { BuiltinTerm } from './regularizer-terms/index.js';

/**
 * What a formula value is per step: `scalar` (one number), `batch` (one number per sample),
 * `sample` (one tensor of the data shape per sample, e.g. a gradient w.r.t. the input).
 */
export type ValueType = 'scalar' | 'batch' | 'sample';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow'];

export type Expr =
  | { op: 'num'; value: number; type: 'scalar' }
  /** A `let` constant, kept by name for printing; `value` is resolved. */
  | { op: 'const'; name: string; value: number; type: 'scalar' }
  | { op: BinaryOp; args: [Expr, Expr]; type: ValueType }
  | { op: 'neg'; arg: Expr; type: ValueType }
  | { op: 'call'; fn: UnaryFn; arg: Expr; type: ValueType }
  /** mean/sum over everything that is not already a scalar. */
  | { op: 'reduce'; fn: ReduceFn; arg: Expr; type: 'scalar' }
  /** Per-sample L2 norm over all non-batch axes: sample → batch. */
  | { op: 'norm'; arg: Expr; type: 'batch' }
  /** D's output on an input: batch. */
  | { op: 'D'; input: DInput; type: 'batch' }
  /** ∇ₓD(x) for each sample x of the input: sample. */
  | { op: 'grad'; input: DInput; type: 'sample' }
  /** A built-in term of the registry (regularizer-terms/): scalar. */
  | { op: 'term'; term: BuiltinTerm; type: 'scalar' };

type Node<Op extends Expr['op']> = Extract<Expr, { op: Op }>;
export type BinaryNode = Node<BinaryOp>;

/** One handler per node kind; each gets its children already folded, and the node itself. */
export interface ExprFold<T> {
  num(e: Node<'num'>): T;
  const(e: Node<'const'>): T;
  binary(e: BinaryNode, left: T, right: T): T;
  neg(e: Node<'neg'>, arg: T): T;
  call(e: Node<'call'>, arg: T): T;
  reduce(e: Node<'reduce'>, arg: T): T;
  norm(e: Node<'norm'>, arg: T): T;
  D(e: Node<'D'>): T;
  grad(e: Node<'grad'>): T;
  term(e: Node<'term'>): T;
}

export function foldExpr<T>(e: Expr, f: ExprFold<T>): T {
  switch (e.op) {
    case 'num': return f.num(e);
    case 'const': return f.const(e);
    case 'add': case 'sub': case 'mul': case 'div': case 'pow':
      return f.binary(e, foldExpr(e.args[0], f), foldExpr(e.args[1], f));
    case 'neg': return f.neg(e, foldExpr(e.arg, f));
    case 'call': return f.call(e, foldExpr(e.arg, f));
    case 'reduce': return f.reduce(e, foldExpr(e.arg, f));
    case 'norm': return f.norm(e, foldExpr(e.arg, f));
    case 'D': return f.D(e);
    case 'grad': return f.grad(e);
    case 'term': return f.term(e);
  }
}

export function children(e: Expr): Expr[] {
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'pow': return [...e.args];
    case 'neg': case 'call': case 'reduce': case 'norm': return [e.arg];
    default: return [];
  }
}

/** A broadcast's result type: the non-scalar side wins (the checker refuses batch with sample). */
export const joinTypes = (a: ValueType, b: ValueType): ValueType => (a === 'scalar' ? b : a);

/** The same node with new children (same arity), its type recomputed. */
export function withChildren(e: Expr, kids: Expr[]): Expr {
  switch (e.op) {
    case 'add': case 'sub': case 'mul': case 'div': case 'pow':
      return { op: e.op, args: [kids[0], kids[1]], type: joinTypes(kids[0].type, kids[1].type) };
    case 'neg': return { op: 'neg', arg: kids[0], type: kids[0].type };
    case 'call': return { op: 'call', fn: e.fn, arg: kids[0], type: kids[0].type };
    case 'reduce': return { op: 'reduce', fn: e.fn, arg: kids[0], type: 'scalar' };
    case 'norm': return { op: 'norm', arg: kids[0], type: 'batch' };
    default: return e;
  }
}

/** Every node of the tree, parents before children. */
export function allNodes(e: Expr): Expr[] {
  return [e, ...children(e).flatMap(allNodes)];
}

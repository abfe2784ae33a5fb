// A formula back as text in the language. The Expr is turned into the parser's AST and printed by the
// front end's own printer, so precedence and parenthesisation are the language's, and the text re-parses
// to the same formula.
import type { Expr } from '../ir/ir.js';
import type { Expression, SourceLocation } from '../parser/index.js';
import { printExpression } from '../parser/printer.js';
import { foldExpr } from '../terms/expr.js';
import { usesWindowedTerm } from '../terms/regularizer-terms/index.js';

/** Printed text carries no source position. */
const NOWHERE: SourceLocation = { line: 0, col: 0, endLine: 0, endCol: 0, offset: 0 };

const name = (n: string): Expression => ({ kind: 'Name', name: n, loc: NOWHERE });
const callOf = (callee: string, args: Expression[]): Expression =>
  ({ kind: 'Call', callee: { kind: 'Identifier', name: callee, loc: NOWHERE }, args, loc: NOWHERE });
const BINARY = { add: '+', sub: '-', mul: '*', div: '/', pow: '^' } as const;

function numberLiteral(value: number): Expression {
  const literal: Expression = { kind: 'Number', value: Math.abs(value), raw: String(Math.abs(value)), loc: NOWHERE };
  return value < 0 ? { kind: 'Neg', arg: literal, loc: NOWHERE } : literal;
}

export function toExpression(e: Expr): Expression {
  return foldExpr<Expression>(e, {
    num: (n) => numberLiteral(n.value),
    const: (c) => name(c.name),
    binary: (b, left, right) => ({ kind: 'Binary', op: BINARY[b.op], left, right, loc: NOWHERE }),
    neg: (_n, arg) => ({ kind: 'Neg', arg, loc: NOWHERE }),
    call: (c, arg) => callOf(c.fn, [arg]),
    reduce: (r, arg) => callOf(r.fn, [arg]),
    norm: (_n, arg) => callOf('norm', [arg]),
    D: (d) => callOf('D', [name(d.input)]),
    grad: (g) => callOf('grad', [name('D'), name(g.input)]),
    term: (t) => name(t.term),
  });
}

export function printFormula(e: Expr): string {
  return printExpression(toExpression(e));
}

/**
 * The text of a `reg` statement: its name where it has one, the formula, and its window where it has one
 * (the checker allows it only with a windowed term).
 */
export function printReg(formula: Expr, window: number, name?: string): string {
  const head = name === undefined ? 'reg' : `reg ${name} =`;
  return window === 1 || !usesWindowedTerm(formula) ? `${head} ${printFormula(formula)}` : `${head} ${printFormula(formula)} window ${window}`;
}

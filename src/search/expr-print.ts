// A formula back as text in the language. The Expr is turned into the parser's AST and printed by the
// front end's own printer, so precedence and parenthesisation are the language's, and the text re-parses
// to the same formula.
import type { Expr } from '../compiler/ir.js';
import { usesRt } from './expr.js';
import type { Expression, SourceLocation } from '../parser/index.js';
import { printExpression } from '../parser/printer.js';

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
  switch (e.op) {
    case 'num': return numberLiteral(e.value);
    case 'const': return name(e.name);
    case 'add': case 'sub': case 'mul': case 'div': case 'pow':
      return { kind: 'Binary', op: BINARY[e.op], left: toExpression(e.args[0]), right: toExpression(e.args[1]), loc: NOWHERE };
    case 'neg': return { kind: 'Neg', arg: toExpression(e.arg), loc: NOWHERE };
    case 'call': return callOf(e.fn, [toExpression(e.arg)]);
    case 'reduce': return callOf(e.fn, [toExpression(e.arg)]);
    case 'norm': return callOf('norm', [toExpression(e.arg)]);
    case 'D': return callOf('D', [name(e.input)]);
    case 'grad': return callOf('grad', [name('D'), name(e.input)]);
    case 'term': return name(e.term);
  }
}

export function printFormula(e: Expr): string {
  return printExpression(toExpression(e));
}

/** The text of a `reg` statement: the formula and its window where it has one (the checker allows it only with R_t). */
export function printReg(formula: Expr, window: number): string {
  return window === 1 || !usesRt(formula) ? `reg ${printFormula(formula)}` : `reg ${printFormula(formula)} window ${window}`;
}

// The constant parts of each `reg` formula folded to numbers: a division by a constant zero, or a
// constant part that is NaN or infinite (`(0/0)*r1`, `log(0)*gp`, `1e200^2*r1`), is refused here, as a
// `let` with the same value is. Otherwise the formula checks and the first training step computes
// NaN, stopping the run before its first checkpoint.
import type { BinaryOp, Expr } from '../../ir/ir.js';
import { foldExpr } from '../../terms/expr.js';
import { unaryFunction } from '../../terms/functions.js';
import { defineRule } from '../context.js';

export const regConstantsRule = defineRule({
  name: 'reg-constants',
  reads: ['regularizers'],
  writes: [],
  check(ctx, draft) {
    for (const reg of draft.regularizers ?? []) {
      const problem = constantProblem(reg.formula);
      const statement = ctx.statements.regs[reg.index];
      if (problem && statement) ctx.report(statement.formula, problem);
    }
  },
});

const BINARY_VALUES: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, pow: (a, b) => a ** b,
};

/** A node's constant value (undefined when it depends on D or a term), or the first problem found below it. */
type Folded = { value?: number; problem?: string };

const NOT_FINITE = 'a constant part of this formula is not a finite number (it overflows, divides by zero or leaves a function\'s domain)';

function constant(value: number): Folded {
  return Number.isFinite(value) ? { value } : { problem: NOT_FINITE };
}

function constantProblem(formula: Expr): string | undefined {
  const varying: Folded = {};
  return foldExpr<Folded>(formula, {
    num: (e) => constant(e.value),
    const: (e) => constant(e.value),
    binary: (e, a, b) => {
      const problem = a.problem ?? b.problem;
      if (problem) return { problem };
      // r1/0 is infinite whatever r1 is: only the divisor needs to be constant.
      if (e.op === 'div' && b.value === 0) return { problem: 'this formula divides by a constant zero' };
      return a.value !== undefined && b.value !== undefined ? constant(BINARY_VALUES[e.op](a.value, b.value)) : varying;
    },
    neg: (_e, a) => (a.value !== undefined ? constant(-a.value) : a),
    call: (e, a) => (a.value !== undefined ? constant(unaryFunction(e.fn).value(a.value)) : a),
    // The mean or sum of a scalar is that scalar.
    reduce: (_e, a) => a,
    norm: (_e, a) => (a.problem ? a : varying),
    D: () => varying,
    grad: () => varying,
    term: () => varying,
  }).problem;
}

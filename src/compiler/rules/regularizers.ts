// `reg EXPR [window N]`: each adds a scalar formula to D's loss.
import type { RegStatement } from '../../parser/ast.js';
import { printExpression } from '../../parser/printer.js';
import { type CheckContext, defineRule } from '../context.js';
import { typeFormula } from '../formula.js';
import type { BuiltinTerm, DInput, Expr, Regularizer } from '../ir.js';
import { collectOptions } from '../options.js';
import { readWhole } from '../values.js';
import { BUILTIN_TERMS, D_INPUTS } from '../vocabulary.js';

export const regularizersRule = defineRule({
  name: 'regularizers',
  reads: ['constants'],
  writes: ['regularizers'],
  check(ctx, draft) {
    draft.regularizers = checkRegularizers(ctx.statements.regs, ctx);
  },
});

function checkRegularizers(statements: RegStatement[], ctx: CheckContext): Regularizer[] {
  const result: Regularizer[] = [];
  statements.forEach((statement, index) => {
    const options = collectOptions(statement.options, { window: 1 }, "'reg'", ctx);
    const window = options.window ? readWhole(options.window[0], ctx, 'window') : 1;
    const formula = typeFormula(statement.formula, ctx);
    if (!formula) return;
    if (formula.type !== 'scalar') {
      ctx.report(statement.formula, `a reg formula must be a scalar, but this is ${formula.type === 'batch'
        ? 'a batch value (one number per sample)' : 'a sample value (one tensor per sample)'}: wrap it in mean(...) or sum(...)`);
      return;
    }
    const needs = needsOf(formula);
    if (options.window && !needs.terms.includes('R_t')) {
      ctx.report(options.window[0], "window only applies to R_t, and this formula does not use R_t");
      return;
    }
    if (window === undefined) return;
    result.push({ index, text: printExpression(statement.formula), formula, window, needs });
  });
  return result;
}

/** What the formula uses, each list in a fixed order (real, fake, interp; gp, r1, l2, R, R_t). */
function needsOf(formula: Expr): Regularizer['needs'] {
  const gradInputs = new Set<DInput>();
  const dInputs = new Set<DInput>();
  const terms = new Set<BuiltinTerm>();
  const visit = (e: Expr): void => {
    switch (e.op) {
      case 'D': dInputs.add(e.input); break;
      case 'grad': gradInputs.add(e.input); break;
      case 'term': terms.add(e.term); break;
      case 'num': case 'const': break;
      case 'neg': case 'call': case 'reduce': case 'norm': visit(e.arg); break;
      default: e.args.forEach(visit);
    }
  };
  visit(formula);
  return {
    gradInputs: D_INPUTS.filter((i) => gradInputs.has(i)),
    dInputs: D_INPUTS.filter((i) => dInputs.has(i)),
    terms: BUILTIN_TERMS.filter((t) => terms.has(t)),
  };
}

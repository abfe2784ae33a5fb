// `reg EXPR [window N]`: each adds a scalar formula to D's loss.
import type { RegStatement } from '../../parser/ast.js';
import { printExpression } from '../../parser/printer.js';
import { type CheckContext, defineRule } from '../context.js';
import { typeFormula } from '../formula.js';
import { formulaNeeds } from '../formula-needs.js';
import type { Regularizer } from '../../ir/ir.js';
import { collectOptions } from '../options.js';
import { readWhole } from '../values.js';
import { usesWindowedTerm, WINDOWED_TERM_NAMES } from '../../terms/regularizer-terms/index.js';

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
    if (options.window && !usesWindowedTerm(formula)) {
      const windowed = WINDOWED_TERM_NAMES.join(', ');
      ctx.report(options.window[0], `window only applies to ${windowed}, and this formula does not use ${windowed}`);
      return;
    }
    if (window === undefined) return;
    result.push({ index, text: printExpression(statement.formula), formula, window, needs: formulaNeeds(formula) });
  });
  return result;
}

// `reg [NAME =] EXPR [window N]`: each adds a scalar formula to D's loss; a name labels it in logs and the report.
import type { Identifier, RegStatement } from '../../parser/ast.js';
import { printExpression } from '../../parser/printer.js';
import { type CheckContext, defineRule, lineOf } from '../context.js';
import { typeFormula } from '../formula.js';
import { formulaNeeds } from '../formula-needs.js';
import type { Regularizer } from '../../ir/ir.js';
import { collectOptions } from '../options.js';
import { readWhole } from '../values.js';
import { termDefinition, usesWindowedTerm, WINDOWED_TERM_NAMES } from '../../terms/regularizer-terms/index.js';
import { AUGMENTED_INPUTS } from '../../terms/inputs.js';
import { RESERVED_NAMES } from '../vocabulary.js';

export const regularizersRule = defineRule({
  name: 'regularizers',
  reads: ['constants', 'augment'],
  writes: ['regularizers'],
  check(ctx, draft) {
    draft.regularizers = checkRegularizers(ctx.statements.regs, ctx, draft.augment !== undefined || ctx.statements.augment !== undefined);
  },
});

function checkRegularizers(statements: RegStatement[], ctx: CheckContext, augmented: boolean): Regularizer[] {
  const result: Regularizer[] = [];
  const names = new Map<string, Identifier>();
  statements.forEach((statement, index) => {
    const name = statement.name && checkName(statement.name, names, ctx);
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
    if (statement.name && name === undefined) return;
    const needs = formulaNeeds(formula);
    const augmentedInput = [...needs.dInputs, ...needs.gradInputs].find((input) => AUGMENTED_INPUTS.includes(input));
    if (augmentedInput && !augmented) {
      const via = needs.terms.find((t) => [...termDefinition(t).dInputs, ...termDefinition(t).gradInputs].includes(augmentedInput));
      ctx.report(statement.formula, `${via ? `'${via}'` : `'${augmentedInput}'`} needs the augmentation T: add an 'augment' statement `
        + '(augment flip, translate 0.125)');
      return;
    }
    result.push({
      index, ...(name ? { name } : {}), text: printExpression(statement.formula), formula, window, needs,
    });
  });
  return result;
}

/**
 * `reg NAME = ...`: the name labels the regularizer in logs and the report, so it is unique, and it may not
 * read as a name formulas already have (a term, a function, D's inputs, a let).
 */
function checkName(node: Identifier, names: Map<string, Identifier>, ctx: CheckContext): string | undefined {
  const name = node.name;
  const first = names.get(name);
  const problem = first ? `duplicate regularizer name '${name}': it already names the reg at ${lineOf(first.loc)}; choose another`
    : RESERVED_NAMES.includes(name) ? `'${name}' is a built-in name of formulas and cannot name a regularizer; choose another`
      : ctx.lets.has(name) ? `'${name}' is already a let (${lineOf(ctx.lets.get(name)!.loc)}) and cannot also name a regularizer; choose another`
        : undefined;
  if (problem) {
    ctx.report(node, problem);
    return undefined;
  }
  names.set(name, node);
  return name;
}

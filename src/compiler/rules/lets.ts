// `let NAME = EXPR`: constants over numbers and earlier lets, folded to numbers once.
import type { LetStatement } from '../../parser/ast.js';
import { evaluateConstant } from '../constants.js';
import { type CheckContext, defineRule, type LetBinding, lineOf } from '../context.js';
import { RESERVED_NAMES } from '../vocabulary.js';

/** Also fills `ctx.lets`, where every later rule's constant expressions resolve let names. */
export const letsRule = defineRule({
  name: 'lets',
  reads: [],
  writes: ['constants'],
  check(ctx, draft) {
    draft.constants = checkLets(ctx.statements.lets, ctx);
  },
});

function checkLets(lets: LetStatement[], ctx: CheckContext): Record<string, number> {
  // Names first, values second: a use of a later let can then say so instead of "undefined".
  const defined: { statement: LetStatement; binding: LetBinding }[] = [];
  lets.forEach((statement, order) => {
    const name = statement.name.name;
    const first = ctx.lets.get(name);
    if (first) {
      ctx.report(statement.name, `duplicate let '${name}': it is already defined at ${lineOf(first.loc)}`);
    } else if (RESERVED_NAMES.includes(name)) {
      ctx.report(statement.name, `'${name}' is a built-in name of formulas and cannot be a let name`);
    } else if (name === '__proto__') {
      // The IR keeps constants in a JSON object, where this key would set the prototype and vanish.
      ctx.report(statement.name, `'__proto__' cannot be a let name`);
    } else {
      const binding: LetBinding = { value: undefined, loc: statement.name.loc, order };
      ctx.lets.set(name, binding);
      defined.push({ statement, binding });
    }
  });
  const constants: Record<string, number> = {};
  for (const { statement, binding } of defined) {
    binding.value = evaluateConstant(statement.value, ctx, { beforeOrder: binding.order });
    if (binding.value !== undefined) constants[statement.name.name] = binding.value;
  }
  return constants;
}

// `let NAME = EXPR`: constants over numbers and earlier lets, folded to numbers once.
import type { LetStatement } from '../../parser/ast.js';
import { evaluateConstant } from '../constants.js';
import { type CheckContext, lineOf } from '../context.js';
import { RESERVED_NAMES } from '../vocabulary.js';

/** Fills `ctx.lets`; every later rule reads constants from there. */
export function checkLets(lets: LetStatement[], ctx: CheckContext): Record<string, number> {
  const constants: Record<string, number> = {};
  lets.forEach((statement, order) => {
    const name = statement.name.name;
    const first = ctx.lets.get(name);
    if (first) {
      ctx.report(statement.name, `duplicate let '${name}': it is already defined at ${lineOf(first.loc)}`);
      return;
    }
    if (RESERVED_NAMES.includes(name)) {
      ctx.report(statement.name, `'${name}' is a built-in name of formulas and cannot be a let name`);
      return;
    }
    const value = evaluateConstant(statement.value, ctx, { beforeOrder: order });
    ctx.lets.set(name, { value, loc: statement.name.loc, order });
    if (value !== undefined) constants[name] = value;
  });
  return constants;
}

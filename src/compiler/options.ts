// Options (`kernel 4`, `betas 0.5 0.999`, `flip`): the parser takes any option anywhere; here each
// statement or layer says which it accepts and how many values each takes.
import type { Expression, OptionName, OptionNode } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { oneOf } from '../parser/suggest.js';

/** Accepted options and the number of values each takes. */
export type OptionRules = Partial<Record<OptionName, number>>;

/** The options that passed, by name; each has exactly the number of values its rule says. */
export type Options = Partial<Record<OptionName, Expression[]>>;

/** `owner` names the statement or layer in messages, e.g. `'conv'` or `'optimizer adam'`. */
export function collectOptions(options: OptionNode[], rules: OptionRules, owner: string, ctx: CheckContext): Options {
  const seen: Options = {};
  for (const option of options) {
    const arity = rules[option.name];
    if (arity === undefined) {
      const accepted = Object.keys(rules).map((o) => `'${o}'`);
      ctx.report(option, `${owner} has no option '${option.name}'`
        + (accepted.length > 0 ? `: expected ${oneOf(accepted)}` : ': it takes no options'));
      continue;
    }
    if (seen[option.name]) {
      ctx.report(option, `option '${option.name}' is given twice`);
      continue;
    }
    if (option.values.length !== arity) {
      const at = option.values[arity] ?? option;
      ctx.report(at, arity === 0 ? `'${option.name}' takes no value`
        : `'${option.name}' takes ${arity} value${arity === 1 ? '' : 's'}, got ${option.values.length}`);
      continue;
    }
    seen[option.name] = option.values;
  }
  return seen;
}

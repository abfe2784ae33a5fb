// Options (`kernel 4`, `betas 0.5 0.999`, `flip`): the parser takes any option anywhere; here each
// statement or layer says which it accepts and how many values each takes.
//
// A misspelt option word is no keyword, so it reaches the checker either as an unknown option (where a
// statement's options go: `train step 40`) or as one more value of what precedes it (`deconv 64 kernal 4`,
// `lr 2e-4 beta 0.0 0.9`). Both are reported as an unknown option of their owner, with the owner's nearest
// option, instead of as a wrong number of values.
import type { Expression, OptionName, StatementOption } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { closestName, oneOf } from '../parser/suggest.js';

/** Accepted options and the number of values each takes. */
export type OptionRules = Partial<Record<OptionName, number>>;

/** The options that passed, by name; each has exactly the number of values its rule says. */
export type Options = Partial<Record<OptionName, Expression[]>>;

/** `owner` names the statement or layer in messages, e.g. `'conv'` or `'optimizer adam'`. */
export function collectOptions(options: StatementOption[], rules: OptionRules, owner: string, ctx: CheckContext): Options {
  const seen: Options = {};
  for (const option of options) {
    if (option.kind === 'UnknownOption') {
      ctx.report(option, unknownOptionMessage(option.name, rules, owner));
      continue;
    }
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
    const values = valuesBeforeOptionWord(option.values, arity, rules, owner, ctx);
    if (values.length !== arity) {
      const at = values[arity] ?? option;
      ctx.report(at, arity === 0 ? `'${option.name}' takes no value`
        : `'${option.name}' takes ${arity} value${arity === 1 ? '' : 's'}, got ${values.length}`);
      continue;
    }
    seen[option.name] = values;
  }
  return seen;
}

/**
 * The values up to the first one that reads as a misspelt option word, which is reported. Such a word
 * is a bare name that is no `let` and either is near one of the owner's options (`kernal`) or stands
 * where no more values are taken (`deconv 64 strde 2`, when the owner has options at all). `takes`: how
 * many values the owner takes at most. Names that are values (`padding same`, a let) stay values.
 */
export function valuesBeforeOptionWord(
  values: Expression[], takes: number, rules: OptionRules, owner: string, ctx: CheckContext,
): Expression[] {
  const accepted = Object.keys(rules);
  const at = values.findIndex((v, i) => v.kind === 'Name' && !ctx.lets.has(v.name)
    && (closestName(v.name, accepted) !== undefined || (i >= takes && accepted.length > 0)));
  if (at < 0) return values;
  const word = values[at] as Extract<Expression, { kind: 'Name' }>;
  ctx.report(word, unknownOptionMessage(word.name, rules, owner));
  return values.slice(0, at);
}

/** `unknown option 'kernal' of 'deconv' (did you mean 'kernel'?)`, or what the owner's options are. */
export function unknownOptionMessage(word: string, rules: OptionRules, owner: string): string {
  const accepted = Object.keys(rules);
  const suggestion = closestName(word, accepted);
  if (suggestion) return `unknown option '${word}' of ${owner} (did you mean '${suggestion}'?)`;
  if (accepted.length === 0) return `unknown option '${word}': ${owner} takes no options`;
  return `unknown option '${word}' of ${owner}: expected ${oneOf(accepted.map((o) => `'${o}'`))}`;
}

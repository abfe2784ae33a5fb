// An `init` scheme as written, in the `init` statement (`init D normal 0.02`) or as a layer's option
// (`conv 64 init kaiming`): its name and the arguments it takes.
import type { Expression, SourceLocation } from '../parser/ast.js';
import { unknownNameMessage } from '../parser/suggest.js';
import type { CheckContext } from './context.js';
import type { InitScheme } from './params.js';
import { POSITIVE, readReal } from './values.js';
import { INIT_SCHEMES, isOneOf } from './vocabulary.js';

/** The scheme, or undefined after reporting what is wrong with it. `at`: where the scheme is named. */
export function readInitScheme(
  scheme: string, at: { loc: SourceLocation }, args: Expression[], ctx: CheckContext,
): InitScheme | undefined {
  if (!isOneOf(INIT_SCHEMES, scheme)) {
    ctx.report(at, unknownNameMessage('init scheme', scheme, INIT_SCHEMES));
    return undefined;
  }
  if (scheme === 'normal') {
    if (args.length !== 1) {
      ctx.report(args[1] ?? at, `'init normal' takes 1 value (the standard deviation, e.g. init normal 0.02), got ${args.length}`);
      return undefined;
    }
    const std = readReal(args[0], ctx, 'the standard deviation', POSITIVE);
    return std === undefined ? undefined : { kind: 'normal', std };
  }
  if (args.length > 0) {
    ctx.report(args[0], `'init ${scheme}' takes no value, got ${args.length}`);
    return undefined;
  }
  return { kind: scheme };
}

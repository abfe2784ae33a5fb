// Reading a constant expression as the kind of number a place needs: a whole count or a real in a range.
import type { Expression } from '../parser/ast.js';
import { evaluateConstant } from './constants.js';
import type { CheckContext } from './context.js';

/** Counts, sizes and seeds must fit a signed 32-bit integer. */
export const MAX_WHOLE = 2 ** 31 - 1;

export interface Range {
  accepts: (x: number) => boolean;
  /** How the range reads in a message: `greater than 0`, `in [0, 1)`. */
  text: string;
}

export const POSITIVE: Range = { accepts: (x) => x > 0, text: 'greater than 0' };
export const ANY_FINITE: Range = { accepts: () => true, text: 'a finite number' };
/** [0, 1): Adam's betas, momentum, decay, EMA. */
export const UNIT_HALF_OPEN: Range = { accepts: (x) => x >= 0 && x < 1, text: 'in [0, 1)' };
/** (0, 1]: a share of the dataset, batch norm's momentum. */
export const FRACTION: Range = { accepts: (x) => x > 0 && x <= 1, text: 'in (0, 1]' };

/** A whole number of at least `min` (and at most MAX_WHOLE), or undefined after a report. */
export function readWhole(e: Expression, ctx: CheckContext, what: string, min = 1): number | undefined {
  const value = evaluateConstant(e, ctx);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) return fail(ctx, e, `${what} must be a whole number, got ${value}`);
  if (value > MAX_WHOLE) return fail(ctx, e, `${what} is too large: at most ${MAX_WHOLE}, got ${value}`);
  if (value < min) return fail(ctx, e, `${what} must be at least ${min}, got ${value}`);
  return value;
}

export function readReal(e: Expression, ctx: CheckContext, what: string, range: Range): number | undefined {
  const value = evaluateConstant(e, ctx);
  if (value === undefined) return undefined;
  if (!range.accepts(value)) return fail(ctx, e, `${what} must be ${range.text}, got ${value}`);
  return value;
}

function fail(ctx: CheckContext, e: Expression, message: string): undefined {
  ctx.report(e, message);
  return undefined;
}

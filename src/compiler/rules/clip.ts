// `clip C`: WGAN weight clipping of D to [-C, C]; absent means off.
import type { ClipStatement } from '../../parser/ast.js';
import type { CheckContext } from '../context.js';
import { POSITIVE, readReal } from '../values.js';

export function checkClip(statement: ClipStatement | undefined, ctx: CheckContext): number | null {
  if (!statement) return null;
  return readReal(statement.value, ctx, 'clip', POSITIVE) ?? null;
}

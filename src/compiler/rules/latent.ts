// `latent normal|uniform DIM`: the generator's input.
import type { LatentStatement } from '../../parser/ast.js';
import type { CheckContext } from '../context.js';
import type { LatentSpec } from '../ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { readWhole } from '../values.js';
import { isOneOf, LATENT_DISTS } from '../vocabulary.js';

export function checkLatent(statement: LatentStatement | undefined, ctx: CheckContext): LatentSpec | undefined {
  if (!statement) return undefined;
  const dist = statement.dist.name;
  const known = isOneOf(LATENT_DISTS, dist);
  if (!known) ctx.report(statement.dist, unknownNameMessage('latent distribution', dist, LATENT_DISTS));
  const dim = readWhole(statement.dim, ctx, 'the latent dimension');
  return known && dim !== undefined ? { dist, dim } : undefined;
}

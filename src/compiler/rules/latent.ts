// `latent normal|uniform DIM`: the generator's input.
import type { LatentStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { LatentSpec } from '../../ir/ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { readWhole } from '../values.js';
import { isOneOf, LATENT_DISTS } from '../vocabulary.js';

export const latentRule = defineRule({
  name: 'latent',
  reads: ['constants'],
  writes: ['latent'],
  check(ctx, draft) {
    draft.latent = checkLatent(ctx.statements.latent, ctx);
  },
});

function checkLatent(statement: LatentStatement | undefined, ctx: CheckContext): LatentSpec | undefined {
  if (!statement) return undefined;
  const dist = statement.dist.name;
  const known = isOneOf(LATENT_DISTS, dist);
  if (!known) ctx.report(statement.dist, unknownNameMessage('latent distribution', dist, LATENT_DISTS));
  const dim = readWhole(statement.dim, ctx, 'the latent dimension');
  return known && dim !== undefined ? { dist, dim } : undefined;
}

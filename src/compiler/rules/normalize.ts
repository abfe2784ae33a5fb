// `normalize D none|sn|gn|pgn` (default none).
import type { NormalizeStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { Normalization } from '../../ir/ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { isOneOf, NORMALIZATIONS } from '../vocabulary.js';

export const normalizeRule = defineRule({
  name: 'normalize',
  reads: [],
  writes: ['normalize'],
  check(ctx, draft) {
    draft.normalize = checkNormalize(ctx.statements.normalize, ctx);
  },
});

function checkNormalize(statement: NormalizeStatement | undefined, ctx: CheckContext): Normalization {
  if (!statement) return 'none';
  if (statement.network.name !== 'D') {
    ctx.report(statement.network, `only the discriminator can be normalized: write 'normalize D ${statement.method.name}'`);
  }
  const method = statement.method.name;
  if (isOneOf(NORMALIZATIONS, method)) return method;
  ctx.report(statement.method, unknownNameMessage('normalization', method, NORMALIZATIONS));
  return 'none';
}

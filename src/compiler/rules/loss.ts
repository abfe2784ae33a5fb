// `loss bce|nonsaturating|hinge|wasserstein|lsgan` (default nonsaturating).
import type { LossStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { LossKind } from '../../ir/ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { isOneOf, LOSSES } from '../vocabulary.js';

export const lossRule = defineRule({
  name: 'loss',
  reads: [],
  writes: ['loss'],
  check(ctx, draft) {
    draft.loss = checkLoss(ctx.statements.loss, ctx);
  },
});

function checkLoss(statement: LossStatement | undefined, ctx: CheckContext): LossKind {
  if (!statement) return 'nonsaturating';
  const loss = statement.loss.name;
  if (isOneOf(LOSSES, loss)) return loss;
  ctx.report(statement.loss, unknownNameMessage('loss', loss, LOSSES));
  return 'nonsaturating';
}

// `loss bce|nonsaturating|hinge|wasserstein|lsgan` (default nonsaturating).
import type { LossStatement } from '../../parser/ast.js';
import type { CheckContext } from '../context.js';
import type { LossKind } from '../ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { isOneOf, LOSSES } from '../vocabulary.js';

export function checkLoss(statement: LossStatement | undefined, ctx: CheckContext): LossKind {
  if (!statement) return 'nonsaturating';
  const loss = statement.loss.name;
  if (isOneOf(LOSSES, loss)) return loss;
  ctx.report(statement.loss, unknownNameMessage('loss', loss, LOSSES));
  return 'nonsaturating';
}

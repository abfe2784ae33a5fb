// `augment flip, translate 0.125, cutout 0.5, color [diff]`: the augmentation T of consistency
// regularization (D(real_aug), D(fake_aug): cr, bcr) and, with `diff`, DiffAugment on every input of D.
import type { AugmentOp } from '../../parser/ast.js';
import type { AugmentOpSpec, AugmentSpec } from '../../ir/ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { type CheckContext, defineRule } from '../context.js';
import { collectOptions } from '../options.js';
import { readReal, type Range } from '../values.js';
import { AUGMENT_OPS } from '../vocabulary.js';

type AugmentOpName = (typeof AUGMENT_OPS)[number];
/** Arguments each operation takes: translate's and cutout's ratio of the image side. */
const ARGS: Record<AugmentOpName, number> = { flip: 0, translate: 1, cutout: 1, color: 0 };
const RATIO: Range = { accepts: (x) => x > 0 && x <= 1, text: 'in (0, 1]' };

export const augmentRule = defineRule({
  name: 'augment',
  reads: ['constants', 'data'],
  writes: ['augment'],
  check(ctx, draft) {
    const statement = ctx.statements.augment;
    // The part is written either way (undefined: no augmentation, or an error reported).
    draft.augment = undefined;
    if (!statement) return;
    const options = collectOptions(statement.options, { diff: 0 }, "'augment'", ctx);
    const ops = statement.ops.map((op) => checkOp(op, ctx));
    const seen = new Set<string>();
    for (const op of statement.ops) {
      if (seen.has(op.name.name)) ctx.report(op.name, `'${op.name.name}' is given twice in 'augment'`);
      seen.add(op.name.name);
    }
    if (draft.data && draft.data.shape.length !== 3) {
      ctx.report(statement, `'augment' works on images [H, W, C], but the data's samples are [${draft.data.shape.join(', ')}]`);
      return;
    }
    if (ops.some((op) => op === undefined)) return;
    const spec: AugmentSpec = { ops: ops as AugmentOpSpec[], diff: options.diff !== undefined };
    draft.augment = spec;
  },
});

function checkOp(op: AugmentOp, ctx: CheckContext): AugmentOpSpec | undefined {
  const name = op.name.name;
  if (!(AUGMENT_OPS as readonly string[]).includes(name)) {
    ctx.report(op.name, unknownNameMessage('augmentation', name, AUGMENT_OPS));
    return undefined;
  }
  const kind = name as AugmentOpName;
  if (op.args.length !== ARGS[kind]) {
    ctx.report(op.args[ARGS[kind]] ?? op.name, ARGS[kind] === 0 ? `'${kind}' takes no argument, got ${op.args.length}`
      : `'${kind}' takes one argument (its ratio of the image side, e.g. ${kind} ${kind === 'translate' ? '0.125' : '0.5'}), got ${op.args.length}`);
    return undefined;
  }
  if (kind === 'translate' || kind === 'cutout') {
    const ratio = readReal(op.args[0], ctx, `the ${kind} ratio`, RATIO);
    return ratio === undefined ? undefined : { kind, ratio };
  }
  return { kind };
}

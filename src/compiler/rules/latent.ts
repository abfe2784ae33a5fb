// `latent normal|uniform DIM [classes K]`: the generator's input; `classes` makes G class-conditional.
import type { LatentStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { LatentSpec } from '../../ir/ir.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { collectOptions } from '../options.js';
import { readWhole } from '../values.js';
import { isOneOf, LATENT_DISTS } from '../vocabulary.js';

export const latentRule = defineRule({
  name: 'latent',
  reads: ['constants', 'data'],
  writes: ['latent'],
  check(ctx, draft) {
    // A labelled folder's classes are its subfolders: counted when it is read (ganc check, training), not here.
    const labelledData = draft.data?.labels === true && draft.data.kind !== 'folder';
    draft.latent = checkLatent(ctx.statements.latent, labelledData, ctx);
  },
});

/** Labelled data sets (mnist, cifar10) have ten classes. */
const DATA_CLASSES = 10;

function checkLatent(statement: LatentStatement | undefined, labelledData: boolean, ctx: CheckContext): LatentSpec | undefined {
  if (!statement) return undefined;
  const dist = statement.dist.name;
  const known = isOneOf(LATENT_DISTS, dist);
  if (!known) ctx.report(statement.dist, unknownNameMessage('latent distribution', dist, LATENT_DISTS));
  const dim = readWhole(statement.dim, ctx, 'the latent dimension');
  const options = collectOptions(statement.options, { classes: 1 }, "'latent'", ctx);
  let classes: number | undefined;
  if (options.classes) {
    classes = readWhole(options.classes[0], ctx, 'classes');
    if (classes !== undefined && classes < 2) {
      ctx.report(options.classes[0], `classes must be at least 2, got ${classes}`);
      return undefined;
    }
    if (classes !== undefined && labelledData && classes !== DATA_CLASSES) {
      ctx.report(options.classes[0], `classes ${classes} does not match the labelled data's ${DATA_CLASSES} classes`);
      return undefined;
    }
    if (classes === undefined) return undefined;
  }
  return known && dim !== undefined ? { dist, dim, ...(classes !== undefined ? { classes } : {}) } : undefined;
}

// `clip C`: WGAN weight clipping of D to [-C, C]; absent means off.
import { defineRule } from '../context.js';
import { POSITIVE, readReal } from '../values.js';

export const clipRule = defineRule({
  name: 'clip',
  reads: ['constants'],
  writes: ['clip'],
  check(ctx, draft) {
    const statement = ctx.statements.clip;
    draft.clip = statement ? readReal(statement.value, ctx, 'clip', POSITIVE) ?? null : null;
  },
});

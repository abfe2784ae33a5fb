// `gan NAME`; without it the spec is named after its file.
import { basename, extname } from 'node:path';
import { defineRule } from '../context.js';

export const ganNameRule = defineRule({
  name: 'gan-name',
  reads: [],
  writes: ['name'],
  check(ctx, draft) {
    const statement = ctx.statements.gan;
    draft.name = statement ? statement.name.name : basename(ctx.file, extname(ctx.file));
  },
});

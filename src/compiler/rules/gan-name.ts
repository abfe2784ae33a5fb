// `gan NAME`; without it the spec is named after its file.
import { basename, extname } from 'node:path';
import { defineRule } from '../context.js';
import { LIMITS } from '../resources.js';

const MAX_NAME_LENGTH = LIMITS.nameLength;

export const ganNameRule = defineRule({
  name: 'gan-name',
  reads: [],
  writes: ['name'],
  check(ctx, draft) {
    const statement = ctx.statements.gan;
    const name = statement ? statement.name.name : basename(ctx.file, extname(ctx.file));
    // The name starts every run directory's name, which (with its time stamp) must fit a file name.
    if (name.length > MAX_NAME_LENGTH) {
      const what = statement ? 'the name' : `the name (taken from the file name, as there is no 'gan' line)`;
      ctx.report(statement?.name ?? { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 },
        `${what} is ${name.length} characters; at most ${MAX_NAME_LENGTH}, as it names run directories`);
    }
    draft.name = name;
  },
});

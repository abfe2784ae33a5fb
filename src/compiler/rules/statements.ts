// Which statements a spec has: at most one of each kind (optimizers: one per network, which their own
// rule checks), and the four a GAN cannot do without.
import { defineRule, lineOf, type SingleKind } from '../context.js';

const REQUIRED: { kind: SingleKind; example: string }[] = [
  { kind: 'data', example: 'data mnist batch 64' },
  { kind: 'latent', example: 'latent normal 128' },
  { kind: 'generator', example: 'generator, then one layer per line' },
  { kind: 'discriminator', example: 'discriminator, then one layer per line' },
];

export const statementsRule = defineRule({
  name: 'statements',
  reads: [],
  writes: [],
  check(ctx) {
    for (const { kind, statement, first } of ctx.statements.repeated) {
      ctx.report(statement, `duplicate '${kind}' statement: the first is at ${lineOf(first.loc)}`);
    }
    for (const { kind, example } of REQUIRED) {
      // A missing statement has no place of its own; it is reported at the top of the file.
      if (!ctx.statements[kind]) ctx.report(ctx.spec.loc, `missing '${kind}' statement (e.g. ${example})`);
    }
  },
});

// Where the networks meet the data: G must produce samples of the data's shape, D one number per sample.
import { type CheckedNetwork, defineRule } from '../context.js';
import type { Shape } from '../../ir/ir.js';
import { formatShape } from '../shapes.js';

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

export const networkOutputsRule = defineRule({
  name: 'network-outputs',
  reads: ['generator', 'discriminator', 'data'],
  writes: [],
  check(ctx, { generator, discriminator, data }) {
    const g = generator?.network;
    if (generator && g && data && !sameShape(g.outShape, data.shape)) {
      ctx.report(lastLayer(generator), `the generator's output is ${formatShape(g.outShape)} but the data shape is `
        + `${formatShape(data.shape)}: G must produce samples of the data's shape`);
    }
    const d = discriminator?.network;
    if (discriminator && d && !sameShape(d.outShape, [1])) {
      ctx.report(lastLayer(discriminator), `the discriminator's output is ${formatShape(d.outShape)} but must be [1] `
        + "(one number per sample): end it with 'dense 1'");
    }
  },
});

function lastLayer(checked: CheckedNetwork): { loc: CheckedNetwork['statement']['loc'] } {
  return checked.statement.layers.at(-1)?.name ?? checked.statement;
}

// Where the networks meet the data: G must produce samples of the data's shape, D one number per sample.
import type { CheckContext } from '../context.js';
import type { Shape } from '../ir.js';
import { formatShape } from '../shapes.js';
import type { CheckedNetwork } from './network.js';

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

export function checkNetworkEnds(
  generator: CheckedNetwork | undefined, discriminator: CheckedNetwork | undefined, dataShape: Shape | undefined,
  ctx: CheckContext,
): void {
  const g = generator?.network;
  if (g && dataShape && !sameShape(g.outShape, dataShape)) {
    ctx.report(lastLayer(generator), `the generator's output is ${formatShape(g.outShape)} but the data shape is `
      + `${formatShape(dataShape)}: G must produce samples of the data's shape`);
  }
  const d = discriminator?.network;
  if (d && !sameShape(d.outShape, [1])) {
    ctx.report(lastLayer(discriminator), `the discriminator's output is ${formatShape(d.outShape)} but must be [1] `
      + "(one number per sample): end it with 'dense 1'");
  }
}

function lastLayer(checked: CheckedNetwork): { loc: CheckedNetwork['statement']['loc'] } {
  return checked.statement.layers.at(-1)?.name ?? checked.statement;
}

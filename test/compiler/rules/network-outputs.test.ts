// The network-outputs rule alone: G produces samples of the data's shape, D one number per sample.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('network-outputs rule', () => {
  it('accepts G ending in the data shape and D ending in [1]', () => {
    const ir = irOf(minimalSpec({}, IMAGE_PARTS));
    expect([ir.generator.outShape, ir.discriminator.outShape]).toEqual([ir.data.shape, [1]]);
  });

  itRejects([
    ["G output", minimalSpec({ generator: ['generator', '  dense 3'] }),
      ["4:3: the generator's output is [3] but the data shape is [2]: G must produce samples of the data's shape"]],
    ["G output image", minimalSpec({ generator: ['generator', '  dense 7*7*1', '  reshape 7 7 1', '  deconv 1 kernel 4 stride 2'] }, IMAGE_PARTS),
      ["6:3: the generator's output is [14, 14, 1] but the data shape is [28, 28, 1]: G must produce samples of the data's shape"]],
    ["D output", minimalSpec({ discriminator: ['discriminator', '  dense 2'] }),
      ["6:3: the discriminator's output is [2] but must be [1] (one number per sample): end it with 'dense 1'"]],
    ["D output conv", minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 4 stride 2', '  conv 16 kernel 4 stride 2', '  relu'] }, IMAGE_PARTS),
      ["9:3: the discriminator's output is [7, 7, 16] but must be [1] (one number per sample): end it with 'dense 1'"]],
  ]);
});

// The statements rule alone: one of each kind at most, and the four a GAN cannot do without.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('statements rule', () => {
  it('accepts the four required statements alone', () => {
    const ir = irOf(minimalSpec());
    expect([ir.data.kind, ir.latent.dist, ir.generator.name, ir.discriminator.name]).toEqual(['ring8', 'normal', 'G', 'D']);
  });

  itRejects([
    ["duplicate loss", minimalSpec({ added: ['loss hinge', 'loss hinge'] }),
      ["8:1: duplicate 'loss' statement: the first is at line 7"]],
    ["duplicate generator block", minimalSpec({ added: ['generator', '  dense 2'] }),
      ["7:1: duplicate 'generator' statement: the first is at line 3"]],
    ["missing data", minimalSpec({ without: ['data'] }),
      ["1:1: missing 'data' statement (e.g. data mnist batch 64)"]],
    ["missing all", 'loss hinge\n',
      ["1:1: missing 'data' statement (e.g. data mnist batch 64)", "1:1: missing 'latent' statement (e.g. latent normal 128)", "1:1: missing 'generator' statement (e.g. generator, then one layer per line)", "1:1: missing 'discriminator' statement (e.g. discriminator, then one layer per line)"]],
  ]);
});

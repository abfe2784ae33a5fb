// The latent rule alone: the generator's input. The latent line is line 2.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('latent rule', () => {
  it('reads the distribution and dimension, which is G\'s input', () => {
    const ir = irOf(minimalSpec({ latent: ['latent uniform 8'] }));
    expect(ir.latent).toEqual({ dist: 'uniform', dim: 8 });
    expect(ir.generator.inShape).toEqual([8]);
  });

  itRejects([
    ["unknown latent", minimalSpec({ latent: ['latent gauss 2'] }),
      ["2:8: unknown latent distribution 'gauss': expected normal or uniform"]],
    ["latent 0", minimalSpec({ latent: ['latent normal 0'] }),
      ["2:15: the latent dimension must be at least 1, got 0"]],
  ]);
});

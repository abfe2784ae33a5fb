// The latent rule alone: the generator's input. The latent line is line 2.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec } from './minimal-spec.js';

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
    ["one class", minimalSpec({ latent: ['latent normal 2 classes 1'] }),
      ["2:25: classes must be at least 2, got 1"]],
    ["classes unlike the labelled data's", minimalSpec({ data: ['data mnist labels'], latent: ['latent normal 2 classes 5'] }, IMAGE_PARTS),
      ["2:25: classes 5 does not match the labelled data's 10 classes"]],
    ["unknown option", minimalSpec({ latent: ['latent normal 2 clases 10'] }),
      ["2:17: unknown option 'clases' of 'latent' (did you mean 'classes'?)"]],
  ]);

  it('reads classes', () => expect(irOf(minimalSpec({ latent: ['latent normal 2 classes 10'] })).latent)
    .toEqual({ dist: 'normal', dim: 2, classes: 10 }));
});

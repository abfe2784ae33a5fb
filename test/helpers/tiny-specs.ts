// Test helper: the small ring8 MLP spec that many tests train for a few steps, built from its few varying parts.

export interface Ring8SpecParts {
  name?: string;
  batch?: number;
  /** Units of the hidden dense layer of G and of D. */
  width?: number;
  /** D's hidden activation. */
  dActivation?: string;
  loss?: string;
  /** Lines after the loss: `let`, `reg`, `optimizer` (none by default). */
  lines?: string[];
  /** The `train` line's options, e.g. 'steps 4 seed 3 log 1'; no `train` line when omitted. */
  train?: string;
}

/**
 * A ring8 GAN with one hidden dense layer in G and D:
 *
 *     gan tiny_ring8 / data ring8 batch 64 / latent normal 2 /
 *     generator dense 32, relu, dense 2 / discriminator dense 32, lrelu 0.2, dense 1 / loss nonsaturating
 */
export function ring8Spec(parts: Ring8SpecParts = {}): string {
  const { name = 'tiny_ring8', batch = 64, width = 32, dActivation = 'lrelu 0.2', loss = 'nonsaturating', lines = [], train } = parts;
  return [
    `gan ${name}`,
    `data ring8 batch ${batch}`,
    'latent normal 2',
    'generator',
    `  dense ${width}`,
    '  relu',
    '  dense 2',
    'discriminator',
    `  dense ${width}`,
    `  ${dActivation}`,
    '  dense 1',
    `loss ${loss}`,
    ...lines,
    ...(train === undefined ? [] : [`train ${train}`]),
    '',
  ].join('\n');
}

// The inputs D can be evaluated on inside a formula. `interp` is WGAN-GP's x̂ = εx_real + (1−ε)x_fake,
// ε ~ U(0,1) per sample.
export const D_INPUTS = ['real', 'fake', 'interp'] as const;
export type DInput = (typeof D_INPUTS)[number];

/** The inputs of `inputs` in the fixed order real, fake, interp. */
export const inInputOrder = (inputs: Iterable<DInput>): DInput[] => {
  const present = new Set(inputs);
  return D_INPUTS.filter((i) => present.has(i));
};

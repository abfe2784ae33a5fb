// The inputs D can be evaluated on inside a formula. `interp` is WGAN-GP's x̂ = εx_real + (1−ε)x_fake,
// ε ~ U(0,1) per sample; `real_aug` and `fake_aug` are T(x_real) and T(x_fake) with the `augment`
// statement's T and draws of their own (consistency regularization).
export const D_INPUTS = ['real', 'fake', 'interp', 'real_aug', 'fake_aug'] as const;
export type DInput = (typeof D_INPUTS)[number];

/** Inputs that exist only with an `augment` statement. */
export const AUGMENTED_INPUTS: readonly DInput[] = ['real_aug', 'fake_aug'];

/** The inputs of `inputs` in the fixed order real, fake, interp, real_aug, fake_aug. */
export const inInputOrder = (inputs: Iterable<DInput>): DInput[] => {
  const present = new Set(inputs);
  return D_INPUTS.filter((i) => present.has(i));
};

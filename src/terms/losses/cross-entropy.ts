// The cross-entropy losses: D is the same for both; G minimax (bce) or non-saturating.
import * as tf from '@tensorflow/tfjs-core';
import { type AdversarialLoss, mean } from './loss.js';

/** −log σ(x) = softplus(−x), the stable form of the cross-entropy terms. */
const minusLogSigmoid = (x: tf.Tensor): tf.Tensor => tf.softplus(tf.neg(x));

const crossEntropyD = (dReal: tf.Tensor1D, dFake: tf.Tensor1D): tf.Scalar =>
  tf.add(mean(minusLogSigmoid(dReal)), mean(tf.softplus(dFake)));

export const bce = {
  name: 'bce',
  definition: 'D: −log σ(D(x)) − log(1 − σ(D(G(z)))); G (minimax): log(1 − σ(D(G(z)))) = −softplus(D(G(z)))',
  d: crossEntropyD,
  g: (dFake) => tf.neg(mean(tf.softplus(dFake))),
} as const satisfies AdversarialLoss;

export const nonsaturating = {
  name: 'nonsaturating',
  definition: 'D: as bce; G: −log σ(D(G(z)))',
  d: crossEntropyD,
  g: (dFake) => mean(minusLogSigmoid(dFake)),
} as const satisfies AdversarialLoss;

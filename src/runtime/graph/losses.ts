// The adversarial losses, every one in this table. dReal/dFake are D's per-sample outputs [B]
// (already normalised under gn/pgn). Each is what that network minimises.
import * as tf from '@tensorflow/tfjs-core';
import type { LossKind } from '../../compiler/ir.js';

type Scalar = tf.Scalar;
interface AdversarialLoss {
  d(dReal: tf.Tensor1D, dFake: tf.Tensor1D): Scalar;
  g(dFake: tf.Tensor1D): Scalar;
}

const mean = (x: tf.Tensor): Scalar => tf.mean(x) as Scalar;
/** −log σ(x) = softplus(−x), the stable form of the cross-entropy terms. */
const minusLogSigmoid = (x: tf.Tensor): tf.Tensor => tf.softplus(tf.neg(x));

const bceD = (dReal: tf.Tensor1D, dFake: tf.Tensor1D): Scalar =>
  tf.add(mean(minusLogSigmoid(dReal)), mean(tf.softplus(dFake)));

export const LOSSES: Record<LossKind, AdversarialLoss> = {
  // minimax: G minimises log(1 − σ(D(G(z)))) = −softplus(D(G(z)))
  bce: { d: bceD, g: (dFake) => tf.neg(mean(tf.softplus(dFake))) },
  nonsaturating: { d: bceD, g: (dFake) => mean(minusLogSigmoid(dFake)) },
  hinge: {
    d: (dReal, dFake) => tf.add(mean(tf.relu(tf.sub(1, dReal))), mean(tf.relu(tf.add(1, dFake)))),
    g: (dFake) => tf.neg(mean(dFake)),
  },
  wasserstein: {
    d: (dReal, dFake) => tf.sub(mean(dFake), mean(dReal)),
    g: (dFake) => tf.neg(mean(dFake)),
  },
  lsgan: {
    d: (dReal, dFake) => tf.mul(0.5, tf.add(mean(tf.square(tf.sub(dReal, 1))), mean(tf.square(dFake)))),
    g: (dFake) => tf.mul(0.5, mean(tf.square(tf.sub(dFake, 1)))),
  },
};

// What an adversarial loss is: what D and G each minimise, given D's per-sample outputs [B] (already
// normalised under gn/pgn).
import * as tf from '@tensorflow/tfjs-core';

export interface AdversarialLoss {
  readonly name: string;
  /** Both losses in mathematical notation, for docs and the report. */
  readonly definition: string;
  d(dReal: tf.Tensor1D, dFake: tf.Tensor1D): tf.Scalar;
  g(dFake: tf.Tensor1D): tf.Scalar;
}

export const mean = (x: tf.Tensor): tf.Scalar => tf.mean(x) as tf.Scalar;

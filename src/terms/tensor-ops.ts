// The two tensor building blocks every gradient-based term and normalization is made of.
import * as tf from '@tensorflow/tfjs-core';

function nonBatchAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

/**
 * Per-sample L2 norm over every axis but the first: shape [batch].
 * Plain sqrt(sum(g²)) has gradient g/0 = NaN at g = 0, which happens (e.g. a D that ignores its
 * input). Like torch.norm, this one is exact in value and has gradient 0 at 0: sqrt sees 1 where the
 * sum is 0 ("safe branch" where), so the masked-out branch contributes 0, never 0·∞, at every order.
 * Chosen over sqrt(sum + tiny) because it adds no bias to the value.
 */
export function perSampleNorm(g: tf.Tensor): tf.Tensor1D {
  const sumOfSquares = tf.sum(tf.square(g), nonBatchAxes(g));
  const positive = tf.greater(sumOfSquares, 0);
  const safeSumOfSquares = tf.where(positive, sumOfSquares, tf.onesLike(sumOfSquares));
  return tf.where(positive, tf.sqrt(safeSumOfSquares), tf.zerosLike(sumOfSquares)) as tf.Tensor1D;
}

/** Per-sample output [B] of D on a batch x. */
export type DiscriminatorFn = (x: tf.Tensor) => tf.Tensor1D;

/** f(x) and ∇ₓΣf(x), both on the caller's gradient tape (so a loss built from them can be differentiated again). */
export function valueAndInputGrad(f: DiscriminatorFn, x: tf.Tensor): { value: tf.Tensor1D; grad: tf.Tensor } {
  const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => f(input))(x);
  return { value: value as tf.Tensor1D, grad };
}

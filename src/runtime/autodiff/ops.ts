// Differentiable building blocks for ganc's lowering of terms that need ∇ₓD inside a loss.
//
// Nesting works in tfjs-core 4.22 without extra machinery: an inner tf.grad/tf.grads called while an
// outer one is recording runs its backward pass with the outer tape on, so the returned gradient is
// an ordinary tensor on the outer tape. What it needs is that every backward rule is itself
// differentiable and built from inputs: installGradientFixes() registers such a table (tfjs-core's
// Node entry registers no gradients of its own; see gradient-rules.ts).
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN } from '../kernels/batch-norm.js';
import { CONV2D_BIAS } from '../kernels/conv2d-bias.js';
import { installGradientFixes } from './install-gradient-fixes.js';

export interface BatchNormResult {
  /** the normalised, scaled and shifted activations, same shape as x */
  y: tf.Tensor;
  /** per-channel batch mean, shape [channels] (for running statistics) */
  mean: tf.Tensor1D;
  /** per-channel biased batch variance, shape [channels] (PyTorch keeps the unbiased one as running var) */
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch norm over all axes but the last (channels, NHWC or [batch, features]). Where the
 * current backend has the one-kernel version (ganc's native route) it runs that, with the same floats;
 * elsewhere it is built from primitives (tf.batchNorm's FusedBatchNorm gradient is not differentiable
 * again). Either way derivatives of any order go through it: the kernel's gradient rule builds from primitives
 * every derivative that is differentiated again (gradient-rules.ts).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): BatchNormResult {
  if (tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) && x.rank >= 2 && [x, gamma, beta].every((t) => t.dtype === 'float32')) {
    installGradientFixes();
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { eps }) as tf.Tensor[];
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  return batchNormFromPrimitives(x, gamma, beta, eps);
}

/** batchNormTrain from primitive ops (exported for the tests that compare the two). */
export function batchNormFromPrimitives(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): BatchNormResult {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const mean = tf.mean(x, axes, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axes, true);
  const normalised = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
  const channels = x.shape[x.rank - 1];
  return {
    y: tf.add(tf.mul(normalised, gamma), beta),
    mean: tf.reshape(mean, [channels]),
    variance: tf.reshape(variance, [channels]),
  };
}

/**
 * ∇ₓ Σ f(x), as a tensor that stays on any enclosing tf.grads tape (so it can appear in a loss that
 * is differentiated again). When f maps each sample independently (no batch statistics), row i is
 * the per-sample gradient ∇ₓᵢ f(xᵢ).
 */
export function gradOfSum(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  installGradientFixes();
  return tf.grad((input: tf.Tensor) => tf.sum(f(input)))(x);
}

/**
 * tf.add(tf.conv2d(x, filter, strides, pad), bias) for a conv layer (NHWC, bias of outChannels), then the relu or
 * leakyRelu layer that follows it, if given. Where the
 * current backend has the one-pass kernel (ganc's native route) it runs that, with the same floats; its
 * gradient rule (gradient-rules.ts) is the conv's and the Add's together, so derivatives of any order match.
 */
export function conv2dWithBias(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor,
  strides: number,
  pad: 'same' | 'valid',
  activation?: { kind: 'relu' } | { kind: 'lrelu'; alpha: number },
): tf.Tensor4D {
  const leakyAlpha = activation === undefined ? undefined : activation.kind === 'relu' ? 0 : activation.alpha;
  if (
    tf.getKernel(CONV2D_BIAS, tf.getBackend()) &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    bias.dtype === 'float32' &&
    bias.rank === 1 &&
    bias.shape[0] === filter.shape[3] &&
    (leakyAlpha === undefined || leakyAlpha >= 0)
  ) {
    installGradientFixes();
    const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, ...(leakyAlpha === undefined ? {} : { leakyAlpha }) };
    return tf.engine().runKernel(CONV2D_BIAS, { x, filter, bias }, attrs) as tf.Tensor4D;
  }
  const z = tf.add(tf.conv2d(x, filter, strides, pad), bias) as tf.Tensor4D;
  if (activation === undefined) return z;
  return activation.kind === 'relu' ? tf.relu(z) : tf.leakyRelu(z, activation.alpha);
}

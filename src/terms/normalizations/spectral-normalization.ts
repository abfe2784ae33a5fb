// Spectral normalisation (Miyato et al. 2018): W → W/σ(W), σ estimated by one power iteration per
// D step with a persistent vector u ∈ R^out. Kernels are viewed as a (kh·kw·in) × out matrix; a projection's
// embedding [classes, C] as C × classes (u over the classes, as PyTorch's spectral_norm of an nn.Embedding).
import * as tf from '@tensorflow/tfjs-core';
import type { NormalizationDefinition } from './normalization.js';

export const sn = {
  name: 'sn',
  definition: 'W → W/σ(W) for every D kernel, σ = vᵀWu by one power iteration per D step',
  source: 'SNGAN, Miyato et al. 2018 (seed 001)',
  spectral: true,
} as const satisfies NormalizationDefinition;

const NORMALIZE_EPS = 1e-12; // torch.nn.functional.normalize's default

/**
 * The kernel as a [K, out] matrix; `transposed` ones (a transposed convolution's [kh, kw, out, in], a
 * projection's embedding [classes, C]) have their last two axes swapped first.
 */
export function kernelMatrix(kernel: tf.Tensor, transposed: boolean): tf.Tensor2D {
  const swapLast = kernel.shape.map((_, i) => (i < kernel.rank - 2 ? i : 2 * kernel.rank - 3 - i));
  const k = transposed ? tf.transpose(kernel, swapLast) : kernel;
  const out = k.shape[k.rank - 1];
  return tf.reshape(k, [-1, out]) as tf.Tensor2D;
}

function l2Normalize(x: tf.Tensor1D): tf.Tensor1D {
  return tf.div(x, tf.maximum(tf.norm(x), NORMALIZE_EPS)) as tf.Tensor1D;
}

/**
 * One power iteration from u: v = normalize(W u), u' = normalize(Wᵀ v). Both are constants with
 * respect to W (as in PyTorch, where they are computed under no_grad).
 */
export function powerIteration(matrix: tf.Tensor2D, u: tf.Tensor1D): { u: tf.Tensor1D; v: tf.Tensor1D } {
  return tf.tidy(() => {
    const v = l2Normalize(tf.reshape(tf.matMul(matrix, tf.reshape(u, [-1, 1])), [-1]) as tf.Tensor1D);
    const uNext = l2Normalize(tf.reshape(tf.matMul(matrix, tf.reshape(v, [-1, 1]), true), [-1]) as tf.Tensor1D);
    return { u: uNext, v };
  });
}

/** W / σ with σ = vᵀ W u: differentiable in W, u and v held constant. */
export function spectrallyNormalized(kernel: tf.Tensor, transposed: boolean, u: tf.Tensor1D, v: tf.Tensor1D): tf.Tensor {
  const sigma = tf.sum(tf.mul(tf.matMul(kernelMatrix(kernel, transposed), tf.reshape(u, [-1, 1])), tf.reshape(v, [-1, 1])));
  return tf.div(kernel, sigma);
}

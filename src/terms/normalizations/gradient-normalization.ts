// Both contain ∇ₓf inside D itself, so every gradient of a loss through f̂ is a double backprop.
import * as tf from '@tensorflow/tfjs-core';
import { perSampleNorm, valueAndInputGrad } from '../tensor-ops.js';
import type { NormalizationDefinition } from './normalization.js';

export const gn = {
  name: 'gn',
  definition: 'f̂(x) = f(x) / (‖∇ₓf(x)‖ + |f(x)|)',
  source: 'GN-GAN, Wu et al. ICCV 2021',
  spectral: false,
  wrap: (f) => (x) => {
    const { value, grad } = valueAndInputGrad(f, x);
    return tf.div(value, tf.add(perSampleNorm(grad), tf.abs(value))) as tf.Tensor1D;
  },
} as const satisfies NormalizationDefinition;

/** 1 − ∇ₓf is elementwise before the norm, as in the reference code (EDGAN-PyTorch models/pgradnorm.py). */
export const pgn = {
  name: 'pgn',
  definition: 'f̂(x) = (1 − f(x)) / (‖1 − ∇ₓf(x)‖ + |1 − f(x)|)',
  source: 'Penalty Gradient Normalization (seed 004)',
  spectral: false,
  wrap: (f) => (x) => {
    const { value, grad } = valueAndInputGrad(f, x);
    const oneMinusF = tf.sub(1, value);
    return tf.div(oneMinusF, tf.add(perSampleNorm(tf.sub(1, grad)), tf.abs(oneMinusF))) as tf.Tensor1D;
  },
} as const satisfies NormalizationDefinition;

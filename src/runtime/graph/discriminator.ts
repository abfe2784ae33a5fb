// D as the losses and formulas see it: the raw network f, or f̂ under gradient normalisation.
//   gn:  f̂(x) = f(x) / (‖∇ₓf(x)‖ + |f(x)|)                     (GN-GAN, Wu et al. 2021)
//   pgn: f̂(x) = (1 − f(x)) / (‖1 − ∇ₓf(x)‖ + |1 − f(x)|)       (PGN; EDGAN-PyTorch models/pgradnorm.py)
// Both contain ∇ₓf inside D itself, so every gradient of a loss through f̂ is a double backprop.
import * as tf from '@tensorflow/tfjs-core';
import type { Network, Normalization } from '../../compiler/ir.js';
import { perSampleNorm } from '../autodiff/ops.js';
import { applyNetwork, type ApplyOptions, type ParamTensors } from './network.js';

/** Per-sample output [B] of D on a batch x. */
export type DiscriminatorFn = (x: tf.Tensor) => tf.Tensor1D;

export function rawDiscriminator(net: Network, params: ParamTensors, opts: ApplyOptions): DiscriminatorFn {
  return (x) => {
    const out = applyNetwork(net, params, x, opts);
    return tf.reshape(out, [x.shape[0]]) as tf.Tensor1D;
  };
}

/** f(x) and ∇ₓΣf(x), both on the caller's gradient tape. */
export function valueAndInputGrad(f: DiscriminatorFn, x: tf.Tensor): { value: tf.Tensor1D; grad: tf.Tensor } {
  const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => f(input))(x);
  return { value: value as tf.Tensor1D, grad };
}

export function normalizedDiscriminator(f: DiscriminatorFn, normalize: Normalization): DiscriminatorFn {
  switch (normalize) {
    case 'none':
    case 'sn': // sn acts on the weights, not on the output
      return f;
    case 'gn':
      return (x) => {
        const { value, grad } = valueAndInputGrad(f, x);
        return tf.div(value, tf.add(perSampleNorm(grad), tf.abs(value))) as tf.Tensor1D;
      };
    case 'pgn':
      return (x) => {
        const { value, grad } = valueAndInputGrad(f, x);
        const oneMinusF = tf.sub(1, value);
        return tf.div(oneMinusF, tf.add(perSampleNorm(tf.sub(1, grad)), tf.abs(oneMinusF))) as tf.Tensor1D;
      };
  }
}

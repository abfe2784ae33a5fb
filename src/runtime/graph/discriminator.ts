// D's network as a function of a batch: one number per sample. Normalizations that change D's output
// (gn, pgn) wrap it; they are defined in src/terms/normalizations.
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../../ir/ir.js';
import type { DiscriminatorFn } from '../../terms/tensor-ops.js';
import { applyNetwork, type ApplyOptions, type ParamTensors } from './network.js';

export function rawDiscriminator(net: Network, params: ParamTensors, opts: ApplyOptions): DiscriminatorFn {
  return (x) => {
    const out = applyNetwork(net, params, x, opts);
    return tf.reshape(out, [x.shape[0]]) as tf.Tensor1D;
  };
}

// A network of the IR as a function of its parameters: x → network(x). Pure tfjs ops that
// survive double backprop (batch norm is built from primitives, see ../autodiff).
import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Network } from '../../ir/ir.js';
import { batchNormTrain } from '../autodiff/ops.js';

/** Parameter tensors by name (`D.0.conv.kernel`, ...). */
export type ParamTensors = Record<string, tf.Tensor>;

export interface ApplyOptions {
  /** Batch statistics (training) or running statistics (sampling) in batch norm. */
  training: boolean;
  /** Replaces each kernel by another tensor (spectral normalisation's W/σ); keyed by parameter name. */
  kernelOverride?: ParamTensors;
  /**
   * Receives each batch-norm layer's batch mean and unbiased variance (for running statistics).
   * They are kept (tf.keep) so they outlive the gradient tape's tidy; the receiver disposes them.
   */
  onBatchStats?: (layer: Layer, mean: tf.Tensor1D, variance: tf.Tensor1D) => void;
}

export function paramName(net: Network, layer: Layer, role: string): string {
  return `${net.name}.${layer.index}.${layer.kind}.${role}`;
}

export function applyNetwork(net: Network, params: ParamTensors, x: tf.Tensor, opts: ApplyOptions): tf.Tensor {
  let h = x;
  for (const layer of net.layers) h = applyLayer(net, layer, params, h, opts);
  return h;
}

function applyLayer(net: Network, layer: Layer, params: ParamTensors, x: tf.Tensor, opts: ApplyOptions): tf.Tensor {
  const p = (role: string): tf.Tensor => {
    const name = paramName(net, layer, role);
    const t = (role === 'kernel' && opts.kernelOverride?.[name]) || params[name];
    if (!t) throw new Error(`missing parameter ${name}`);
    return t;
  };
  const batch = x.shape[0];
  switch (layer.kind) {
    case 'dense':
      return tf.add(tf.matMul(x as tf.Tensor2D, p('kernel') as tf.Tensor2D), p('bias'));
    case 'conv':
      return tf.add(
        tf.conv2d(x as tf.Tensor4D, p('kernel') as tf.Tensor4D, layer.stride, layer.padding),
        p('bias'),
      );
    case 'deconv': {
      const [h, w, c] = layer.outShape;
      return tf.add(
        tf.conv2dTranspose(x as tf.Tensor4D, p('kernel') as tf.Tensor4D, [batch, h, w, c], layer.stride, layer.padding),
        p('bias'),
      );
    }
    case 'reshape':
    case 'flatten':
      return tf.reshape(x, [batch, ...layer.outShape]);
    case 'batchnorm':
      return applyBatchNorm(net, layer, p, x, opts);
    case 'relu':
      return tf.relu(x);
    case 'lrelu':
      return tf.leakyRelu(x, layer.alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

function applyBatchNorm(
  net: Network,
  layer: Extract<Layer, { kind: 'batchnorm' }>,
  p: (role: string) => tf.Tensor,
  x: tf.Tensor,
  opts: ApplyOptions,
): tf.Tensor {
  if (!opts.training) {
    const scale = tf.div(p('gamma'), tf.sqrt(tf.add(p('running_var'), layer.eps)));
    return tf.add(tf.mul(tf.sub(x, p('running_mean')), scale), p('beta'));
  }
  const { y, mean, variance } = batchNormTrain(x, p('gamma') as tf.Tensor1D, p('beta') as tf.Tensor1D, layer.eps);
  if (opts.onBatchStats) {
    const count = x.size / x.shape[x.rank - 1];
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1)) as tf.Tensor1D;
    opts.onBatchStats(layer, tf.keep(mean.clone()) as tf.Tensor1D, tf.keep(unbiased));
  }
  return y;
}

// A network of the IR as a function of its parameters: x → network(x). Pure tfjs ops that
// survive double backprop (batch norm is built from primitives, see ../autodiff).
import * as tf from '@tensorflow/tfjs-core';
import type { CBatchNormLayer, Layer, Network, ResBlockLayer } from '../../ir/ir.js';
import { batchNormTrain, conv2dWithBias } from '../autodiff/ops.js';

/** Parameter tensors by name (`D.0.conv.kernel`, ...). */
export type ParamTensors = Record<string, tf.Tensor>;

export interface ApplyOptions {
  /** Batch statistics (training) or running statistics (sampling) in batch norm. */
  training: boolean;
  /** Replaces kernels by other tensors (spectral normalisation's W/σ); keyed by parameter name. */
  kernelOverride?: ParamTensors;
  /**
   * Receives each batch norm's batch mean and unbiased variance (for running statistics), with the
   * prefix of its parameters' names (`G.2.batchnorm`, `G.3.resblock.bn1`) and its momentum.
   * They are kept (tf.keep) so they outlive the gradient tape's tidy; the receiver disposes them.
   */
  onBatchStats?: (prefix: string, momentum: number, mean: tf.Tensor1D, variance: tf.Tensor1D) => void;
  /**
   * Each sample's class as a one-hot row [N, classes], for `cbatchnorm` and `projection` (a conditional
   * network without them is an internal error). One-hot rows times the per-class tables pick each sample's
   * row with ops that have derivatives of every order.
   */
  labels?: tf.Tensor2D;
}

/** Each label as a one-hot row [N, classes] (float32), for ApplyOptions.labels. */
export function oneHotLabels(labels: Int32Array | number[], classes: number): tf.Tensor2D {
  const rows = new Float32Array(labels.length * classes);
  Array.from(labels).forEach((label, i) => { rows[i * classes + label] = 1; });
  return tf.tensor2d(rows, [labels.length, classes]);
}

/** `G.2.batchnorm`: what every parameter name of the layer starts with. */
export function layerPrefix(net: Network, layer: Layer): string {
  return `${net.name}.${layer.index}.${layer.kind}`;
}

/** A layer's parameter by role; a residual block's roles name their part (`conv1.kernel`). */
export function paramName(net: Network, layer: Layer, role: string): string {
  return `${layerPrefix(net, layer)}.${role}`;
}

export function applyNetwork(net: Network, params: ParamTensors, x: tf.Tensor, opts: ApplyOptions): tf.Tensor {
  let h = x;
  // The projection discriminator: ⟨embed(y), φ⟩ with φ the projection layer's input, added to the output.
  let projection: tf.Tensor | undefined;
  for (let index = 0; index < net.layers.length; index++) {
    const layer = net.layers[index];
    // A conv layer with a bias and the relu / leakyRelu right after it: one pass where the backend has it.
    const next = net.layers[index + 1];
    const activation = next?.kind === 'relu' ? { kind: 'relu' as const } : next?.kind === 'lrelu' && next.alpha >= 0 ? { kind: 'lrelu' as const, alpha: next.alpha } : undefined;
    if (layer.kind === 'conv' && layer.bias && activation) {
      h = applyLayer(net, layer, params, h, opts, activation);
      index++;
      continue;
    }
    if (layer.kind === 'projection') {
      const name = paramName(net, layer, 'embedding');
      const embedding = opts.kernelOverride?.[name] ?? params[name]; // W/σ under spectral normalisation
      const embedded = tf.matMul(requireLabels(opts, layer.kind), embedding as tf.Tensor2D);
      projection = tf.sum(tf.mul(embedded, h), 1, true);
    }
    h = applyLayer(net, layer, params, h, opts);
  }
  return projection ? tf.add(h, projection) : h;
}

function requireLabels(opts: ApplyOptions, kind: string): tf.Tensor2D {
  if (!opts.labels) throw new Error(`internal: '${kind}' applied without labels`);
  return opts.labels;
}

function applyLayer(
  net: Network,
  layer: Layer,
  params: ParamTensors,
  x: tf.Tensor,
  opts: ApplyOptions,
  activation?: { kind: 'relu' } | { kind: 'lrelu'; alpha: number },
): tf.Tensor {
  const p = (role: string): tf.Tensor => {
    const name = paramName(net, layer, role);
    const t = opts.kernelOverride?.[name] ?? params[name];
    if (!t) throw new Error(`missing parameter ${name}`);
    return t;
  };
  const batch = x.shape[0];
  const withBias = (y: tf.Tensor): tf.Tensor => ('bias' in layer && layer.bias ? tf.add(y, p('bias')) : y);
  switch (layer.kind) {
    case 'dense':
      return withBias(tf.matMul(x as tf.Tensor2D, p('kernel') as tf.Tensor2D));
    case 'conv':
      if ('bias' in layer && layer.bias) {
        return conv2dWithBias(x as tf.Tensor4D, p('kernel') as tf.Tensor4D, p('bias'), layer.stride, layer.padding, activation);
      }
      return tf.conv2d(x as tf.Tensor4D, p('kernel') as tf.Tensor4D, layer.stride, layer.padding);
    case 'deconv': {
      const [h, w, c] = layer.outShape;
      return withBias(
        tf.conv2dTranspose(x as tf.Tensor4D, p('kernel') as tf.Tensor4D, [batch, h, w, c], layer.stride, layer.padding),
      );
    }
    case 'reshape':
    case 'flatten':
      return tf.reshape(x, [batch, ...layer.outShape]);
    case 'batchnorm':
      return batchNorm(layerPrefix(net, layer), layer, p, '', x, opts);
    case 'relu':
      return tf.relu(x);
    case 'lrelu':
      return tf.leakyRelu(x, layer.alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'upsample':
      return upsample(x, layer.factor);
    case 'avgpool':
      return avgPool(x, layer.size);
    case 'sumpool':
      return tf.sum(x, [1, 2]);
    case 'resblock':
      return residualBlock(layerPrefix(net, layer), layer, p, x, opts);
    case 'cbatchnorm':
      return conditionalBatchNorm(layerPrefix(net, layer), layer, p, x, opts);
    case 'projection':
      // Its term is added by applyNetwork; the features pass on unchanged.
      return x;
  }
}

/** Batch norm without affine, then each sample's class row of gamma and beta ([classes, C]). */
function conditionalBatchNorm(
  prefix: string, layer: CBatchNormLayer, p: (role: string) => tf.Tensor, x: tf.Tensor, opts: ApplyOptions,
): tf.Tensor {
  const labels = requireLabels(opts, layer.kind);
  const channels = x.shape[x.rank - 1];
  const perSample = [x.shape[0], ...x.shape.slice(1, -1).map(() => 1), channels];
  const gamma = tf.reshape(tf.matMul(labels, p('gamma') as tf.Tensor2D), perSample);
  const beta = tf.reshape(tf.matMul(labels, p('beta') as tf.Tensor2D), perSample);
  const unit = { gamma: tf.ones([channels]), beta: tf.zeros([channels]) };
  const q = (role: string): tf.Tensor => (role === 'gamma' || role === 'beta' ? unit[role] : p(role));
  const normalized = batchNorm(prefix, layer, q, '', x, opts);
  return tf.add(tf.mul(normalized, gamma), beta);
}

/**
 * SNGAN's residual block (ir.ts, ResBlockLayer). The shortcut resamples and its 1×1 conv commute (both
 * are linear and act per pixel), so the 1×1 conv runs on the smaller side: after pooling, before upsampling.
 */
function residualBlock(
  prefix: string, layer: ResBlockLayer, p: (role: string) => tf.Tensor, x: tf.Tensor, opts: ApplyOptions,
): tf.Tensor {
  const conv = (part: string, h: tf.Tensor): tf.Tensor =>
    tf.add(tf.conv2d(h as tf.Tensor4D, p(`${part}.kernel`) as tf.Tensor4D, 1, 'same'), p(`${part}.bias`));
  const normalized = (part: string, h: tf.Tensor): tf.Tensor =>
    (layer.batchnorm ? batchNorm(`${prefix}.${part}`, layer.batchnorm, p, part, h, opts) : h);
  let h = normalized('bn1', x);
  if (layer.preActivation) h = tf.relu(h);
  if (layer.resample === 'up') h = upsample(h, 2);
  h = tf.relu(normalized('bn2', conv('conv1', h)));
  h = conv('conv2', h);
  if (layer.resample === 'down') h = avgPool(h, 2);
  let shortcut = x;
  if (layer.shortcut === 'conv') {
    if (layer.resample === 'down') shortcut = avgPool(shortcut, 2);
    shortcut = conv('shortcut', shortcut);
    if (layer.resample === 'up') shortcut = upsample(shortcut, 2);
  }
  return tf.add(h, shortcut);
}

// Resampling as reshapes, broadcasts and sums over one contiguous block of axes, one image axis at a
// time: ops whose derivatives the autodiff table has to any order (no pooling-gradient kernel, which
// tfjs cannot differentiate again), and reductions the native kernels take without a transpose.

/** Nearest-neighbour upsampling of NHWC by `factor`: each pixel repeated factor × factor times. */
export function upsample(x: tf.Tensor, factor: number): tf.Tensor {
  const [n, h, w, c] = x.shape;
  // Along W: [n·h·w, 1, c] broadcast to [n·h·w, factor, c]; then along H: [n·h, 1, w·factor·c] to [n·h, factor, ...].
  const wide = tf.mul(tf.reshape(x, [n * h * w, 1, c]), tf.ones([1, factor, 1]));
  const tall = tf.mul(tf.reshape(wide, [n * h, 1, w * factor * c]), tf.ones([1, factor, 1]));
  return tf.reshape(tall, [n, h * factor, w * factor, c]);
}

/** Average pooling of NHWC over non-overlapping size × size windows (H and W multiples of size). */
export function avgPool(x: tf.Tensor, size: number): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const narrow = tf.mean(tf.reshape(x, [n * h * (w / size), size, c]), 1);
  const short = tf.mean(tf.reshape(narrow, [n * (h / size), size, (w / size) * c]), 1);
  return tf.reshape(short, [n, h / size, w / size, c]);
}

/** Batch norm with parameters `<prefix>.gamma` etc. (`part`: their part inside the layer, '' for a batchnorm layer). */
function batchNorm(
  prefix: string,
  settings: { eps: number; momentum: number },
  p: (role: string) => tf.Tensor,
  part: string,
  x: tf.Tensor,
  opts: ApplyOptions,
): tf.Tensor {
  const q = (role: string): tf.Tensor => p(part ? `${part}.${role}` : role);
  if (!opts.training) {
    const scale = tf.div(q('gamma'), tf.sqrt(tf.add(q('running_var'), settings.eps)));
    return tf.add(tf.mul(tf.sub(x, q('running_mean')), scale), q('beta'));
  }
  const { y, mean, variance } = batchNormTrain(x, q('gamma') as tf.Tensor1D, q('beta') as tf.Tensor1D, settings.eps);
  if (opts.onBatchStats) {
    const count = x.size / x.shape[x.rank - 1];
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1)) as tf.Tensor1D;
    opts.onBatchStats(prefix, settings.momentum, tf.keep(mean.clone()) as tf.Tensor1D, tf.keep(unbiased));
  }
  return y;
}

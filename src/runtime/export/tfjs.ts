// `ganc export --format tfjs`: a TensorFlow.js LayersModel (model.json + one weights file) per network,
// loadable with tf.loadLayersModel. Keras layers are NHWC and keep ganc's weight layouts, so every
// weight is stored as it is; the one difference is Conv2DTranspose 'valid' with kernel < stride, whose
// Keras output is stride − kernel rows longer than ganc's: a Cropping2D layer removes them.
// A LayersModel's BatchNormalization uses its moving statistics at inference; D normalises with the
// batch's own statistics, which no built-in layer does, so such a D is refused.
import type { Layer } from '../../ir/ir.js';
import { hasParam, unexpectedLayer, weightOf, type ExportedNetwork } from './exported-network.js';
import { ExportError } from './export-error.js';

export const TFJS_WEIGHTS_FILE = 'weights.bin';

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

interface WeightEntry {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The reason a network cannot be a LayersModel, or null. */
export function tfjsUnsupported(net: ExportedNetwork): string | null {
  if (net.batchNorm === 'batch' && net.network.layers.some((l) => l.kind === 'batchnorm')) {
    return `${net.name}'s batchnorm normalises with each batch's statistics, which a tfjs LayersModel cannot express (its BatchNormalization uses moving statistics at inference); export ${net.name} as onnx or torch, or leave it out with --net G`;
  }
  return null;
}

/** Keras layers (and their weights in the order Keras creates them) for one ganc layer. */
function kerasLayers(net: ExportedNetwork, layer: Layer): { layers: KerasLayer[]; weights: WeightEntry[] } {
  const name = `${layer.kind}${layer.index}`;
  const w = (role: string, kerasName: string): WeightEntry => ({ name: `${name}/${kerasName}`, ...weightOf(net, layer, role) });
  const one = (class_name: string, config: Record<string, unknown>, weights: WeightEntry[] = []): { layers: KerasLayer[]; weights: WeightEntry[] } =>
    ({ layers: [{ class_name, config: { name, trainable: true, dtype: 'float32', ...config } }], weights });
  const useBias = hasParam(layer, 'bias');
  const kernelAndBias = () => (useBias ? [w('kernel', 'kernel'), w('bias', 'bias')] : [w('kernel', 'kernel')]);
  switch (layer.kind) {
    case 'dense':
      return one('Dense', { units: layer.units, activation: 'linear', use_bias: useBias }, kernelAndBias());
    case 'conv':
    case 'deconv': {
      const config = {
        filters: layer.filters, kernel_size: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride],
        padding: layer.padding, data_format: 'channels_last', activation: 'linear', use_bias: useBias,
      };
      const result = one(layer.kind === 'conv' ? 'Conv2D' : 'Conv2DTranspose', config, kernelAndBias());
      const excess = layer.kind === 'deconv' && layer.padding === 'valid' ? Math.max(layer.stride - layer.kernel, 0) : 0;
      if (excess > 0) {
        result.layers.push({ class_name: 'Cropping2D', config: { name: `${name}_crop`, trainable: true, dtype: 'float32', cropping: [[0, excess], [0, excess]], data_format: 'channels_last' } });
      }
      return result;
    }
    case 'reshape':
      return one('Reshape', { target_shape: layer.outShape });
    case 'flatten':
      return one('Flatten', {});
    case 'batchnorm':
      return one('BatchNormalization', { axis: -1, momentum: 1 - layer.momentum, epsilon: layer.eps, center: true, scale: true }, [
        w('gamma', 'gamma'), w('beta', 'beta'), w('running_mean', 'moving_mean'), w('running_var', 'moving_variance'),
      ]);
    case 'relu':
    case 'tanh':
    case 'sigmoid':
      return one('Activation', { activation: layer.kind });
    case 'lrelu':
      return one('LeakyReLU', { alpha: layer.alpha });
    default:
      return unexpectedLayer(layer);
  }
}

export interface TfjsModelFiles {
  /** model.json's content. */
  modelJson: string;
  /** The weights file model.json names. */
  weights: Buffer;
}

/** The network as a LayersModel; an ExportError when it cannot be one. */
export function tfjsLayersModel(net: ExportedNetwork): TfjsModelFiles {
  const reason = tfjsUnsupported(net);
  if (reason) throw new ExportError(reason);
  const layers: KerasLayer[] = [];
  const weights: WeightEntry[] = [];
  for (const layer of net.network.layers) {
    const k = kerasLayers(net, layer);
    layers.push(...k.layers);
    weights.push(...k.weights);
  }
  layers[0].config.batch_input_shape = [null, ...net.network.inShape];
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'ganc',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: net.name, layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: weights.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })) }],
  };
  const bytes = Buffer.concat(weights.map(({ data }) => Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  return { modelJson: `${JSON.stringify(modelJson, null, 1)}\n`, weights: bytes };
}

// Shape inference: the output shape of each layer from its input shape (no batch axis; images NHWC).
import type { Layer, NetworkName, ResBlockLayer, Shape } from '../ir/ir.js';
import { MAX_WHOLE } from './values.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A layer with its place in a network known: everything of its IR but index, shapes and parameters. */
export type PlacedConfig = DistributiveOmit<Layer, 'index' | 'inShape' | 'outShape' | 'params'>;
/**
 * A layer as written and checked, before it has a place in a network. A residual block's other fields
 * follow from where it stands (placeLayer).
 */
export type LayerConfig = Exclude<PlacedConfig, { kind: 'resblock' }> | Pick<ResBlockLayer, 'kind' | 'resample' | 'filters'>;

/** PyTorch's BatchNorm2d defaults, which the generator's residual blocks use. */
const RESBLOCK_BATCHNORM = { eps: 1e-5, momentum: 0.1 } as const;

/**
 * A residual block's derived fields, as SNGAN's chainer code and mimicry build their blocks: G's block
 * has batch norm and hidden = filters; D's has none, hidden = its input's channels, and when it is D's
 * first layer (the optimized block) no ReLU before its first conv and hidden = filters. The 1×1 shortcut
 * is learnable exactly when the block resamples or changes the channel count.
 */
export function placeLayer(config: LayerConfig, network: NetworkName, index: number, input: Shape): PlacedConfig {
  if (config.kind !== 'resblock') return config;
  const channels = input[input.length - 1];
  const optimized = network === 'D' && index === 0;
  return {
    ...config,
    hidden: network === 'G' || optimized ? config.filters : channels,
    batchnorm: network === 'G' ? { ...RESBLOCK_BATCHNORM } : null,
    preActivation: !optimized,
    shortcut: config.resample !== 'same' || channels !== config.filters ? 'conv' : 'identity',
  };
}

export type ShapeResult = { shape: Shape } | { error: string };

export const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;
export const elementCount = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

const imageInput = (kind: string, input: Shape): ShapeResult | undefined => (input.length === 3 ? undefined : {
  error: `${kind} needs an image input [H, W, C], but its input is ${formatShape(input)}: add 'reshape' before it`,
});

/** Pooling by `size` in both directions: the sides must divide. */
function pooled(what: string, size: number, input: Shape, channels: number): ShapeResult {
  const [h, w] = input;
  if (h < size || w < size) {
    return { error: `${what} needs an input of at least ${size}x${size}, but its input is ${formatShape(input)}` };
  }
  if (h % size !== 0 || w % size !== 0) {
    return { error: `${what} needs H and W divisible by ${size}, but its input is ${formatShape(input)}` };
  }
  return { shape: [h / size, w / size, channels] };
}

export function outputShape(layer: LayerConfig, input: Shape): ShapeResult {
  const result = rawOutputShape(layer, input);
  if ('error' in result) return result;
  if (elementCount(result.shape) > MAX_WHOLE) {
    return { error: `${layer.kind}'s output ${formatShape(result.shape)} has too many values (more than ${MAX_WHOLE})` };
  }
  return result;
}

function rawOutputShape(layer: LayerConfig, input: Shape): ShapeResult {
  switch (layer.kind) {
    case 'dense':
      if (input.length !== 1) {
        return { error: `dense needs a flat input [N], but its input is ${formatShape(input)}: add 'flatten' before it` };
      }
      return { shape: [layer.units] };
    case 'conv':
    case 'deconv': {
      if (input.length !== 3) {
        return {
          error: `${layer.kind} needs an image input [H, W, C], but its input is ${formatShape(input)}: `
            + "add 'reshape' before it",
        };
      }
      const [h, w] = input;
      if (layer.kind === 'deconv') {
        const side = (n: number): number => (layer.padding === 'same' ? n * layer.stride : (n - 1) * layer.stride + layer.kernel);
        return { shape: [side(h), side(w), layer.filters] };
      }
      if (layer.padding === 'valid' && (layer.kernel > h || layer.kernel > w)) {
        return { error: `conv kernel ${layer.kernel} is larger than its input ${h}x${w} (padding valid)` };
      }
      const side = (n: number): number =>
        Math.ceil((layer.padding === 'same' ? n : n - layer.kernel + 1) / layer.stride);
      return { shape: [side(h), side(w), layer.filters] };
    }
    case 'reshape': {
      const want = elementCount(layer.shape);
      const have = elementCount(input);
      if (want !== have) {
        return {
          error: `reshape to ${formatShape(layer.shape)} (${want} values) does not match its input `
            + `${formatShape(input)} (${have} values)`,
        };
      }
      return { shape: layer.shape };
    }
    case 'flatten':
      return { shape: [elementCount(input)] };
    case 'upsample':
      return imageInput('upsample', input) ?? { shape: [input[0] * layer.factor, input[1] * layer.factor, input[2]] };
    case 'avgpool':
      return imageInput('avgpool', input) ?? pooled(`avgpool ${layer.size}`, layer.size, input, input[2]);
    case 'sumpool':
      return imageInput('sumpool', input) ?? { shape: [input[2]] };
    case 'resblock': {
      const notImage = imageInput(`resblock ${layer.resample}`, input);
      if (notImage) return notImage;
      if (layer.resample === 'up') return { shape: [input[0] * 2, input[1] * 2, layer.filters] };
      if (layer.resample === 'down') return pooled('resblock down', 2, input, layer.filters);
      return { shape: [input[0], input[1], layer.filters] };
    }
    case 'projection':
      if (input.length !== 1) {
        return { error: `projection needs the flat features [C] that enter D's last dense layer, but its input is ${formatShape(input)}: add 'sumpool' or 'flatten' before it` };
      }
      return { shape: input };
    case 'batchnorm':
    case 'cbatchnorm':
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'lrelu':
      return { shape: input };
  }
}

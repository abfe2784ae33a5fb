// Shape inference: the output shape of each layer from its input shape (no batch axis; images NHWC).
import type { Layer, Shape } from '../ir/ir.js';
import { MAX_WHOLE } from './values.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A layer as written and checked, before it has a place in a network. */
export type LayerConfig = DistributiveOmit<Layer, 'index' | 'inShape' | 'outShape' | 'params'>;

export type ShapeResult = { shape: Shape } | { error: string };

export const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;
export const elementCount = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

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
    case 'batchnorm':
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'lrelu':
      return { shape: input };
  }
}

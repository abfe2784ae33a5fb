// Conv2D, FusedConv2D, Conv2DBackpropInput (also conv2dTranspose's forward) and Conv2DBackpropFilter
// on the native im2col + gemm kernels; anything they do not handle goes to tfjs's cpu kernel.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, filterShape, geometryArray, inputShape, outputShape, type ConvAttrs } from './conv-geometry.js';
import { backpropFilterOperands, backpropInputOperands } from './conv-operands.js';
import { applyBiasAndActivation } from './fused-epilogue.js';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

interface KernelArgs<Inputs, Attrs> {
  inputs: Inputs;
  attrs: Attrs;
  backend: MathBackendCPU;
}

type Conv2DArgs = KernelArgs<{ x: TensorInfo; filter: TensorInfo }, ConvAttrs>;

function nativeConv2D(native: NativeKernels, { inputs: { x, filter }, attrs, backend }: Conv2DArgs): TensorInfo | undefined {
  const xValues = float32Values(backend, x);
  const filterValues = float32Values(backend, filter);
  const g = convGeometry(x.shape, filter.shape, attrs);
  if (!xValues || !filterValues || !g) return undefined;
  const y = outputFloats(backend, util.sizeFromShape(outputShape(g)));
  native.conv2d(geometryArray(g), xValues, filterValues, y);
  return makeFloat32(backend, outputShape(g), y);
}

export function makeConv2D(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => nativeConv2D(native, args as unknown as Conv2DArgs) ?? fallback(args);
}

export type FusedConv2DArgs = KernelArgs<
  { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  ConvAttrs & { activation?: string; leakyreluAlpha?: number }
>;

/** conv2d + bias (then leakyRelu(., leakyAlpha) if given) in one native pass: a bias of outChannels floats and no
 * tfjs activation attr; undefined otherwise. */
export function nativeConv2DBias(
  native: NativeKernels,
  { inputs, attrs, backend }: FusedConv2DArgs,
  leakyAlpha?: number,
): TensorInfo | undefined {
  const { x, filter, bias, preluActivationWeights } = inputs;
  if (!bias || preluActivationWeights || (attrs.activation !== undefined && attrs.activation !== 'linear')) return undefined;
  const xValues = float32Values(backend, x);
  const filterValues = float32Values(backend, filter);
  const biasValues = float32Values(backend, bias);
  const g = convGeometry(x.shape, filter.shape, attrs);
  if (!xValues || !filterValues || !biasValues || !g || bias.shape.length !== 1 || bias.shape[0] !== g.outChannels) return undefined;
  const y = outputFloats(backend, util.sizeFromShape(outputShape(g)));
  native.conv2dBias(geometryArray(g), xValues, filterValues, biasValues, y, leakyAlpha === undefined ? 0 : 1, leakyAlpha ?? 0);
  return makeFloat32(backend, outputShape(g), y);
}

export function makeFusedConv2D(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as FusedConv2DArgs;
    const withBias = nativeConv2DBias(native, args as unknown as FusedConv2DArgs);
    if (withBias) return withBias;
    const y = nativeConv2D(native, { inputs: { x: inputs.x, filter: inputs.filter }, attrs, backend });
    if (!y) return fallback(args);
    return applyBiasAndActivation(backend, y, inputs.bias, attrs.activation, inputs.preluActivationWeights, attrs.leakyreluAlpha);
  };
}

export function makeConv2DBackpropInput(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const operands = backpropInputOperands(args);
    if (!operands) return fallback(args);
    const { g, dy, filter, backend } = operands;
    const dx = outputFloats(backend, util.sizeFromShape(inputShape(g)));
    native.conv2dBackpropInput(geometryArray(g), dy, filter, dx);
    return makeFloat32(backend, inputShape(g), dx);
  };
}

export function makeConv2DBackpropFilter(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const operands = backpropFilterOperands(args);
    if (!operands) return fallback(args);
    const { g, x, dy, backend } = operands;
    const dw = outputFloats(backend, util.sizeFromShape(filterShape(g)));
    native.conv2dBackpropFilter(geometryArray(g), x, dy, dw);
    return makeFloat32(backend, filterShape(g), dw);
  };
}

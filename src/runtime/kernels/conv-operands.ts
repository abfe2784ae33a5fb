// The operands of the conv backprop kernels as every route (native, WebAssembly, TypeScript) takes
// them: float32 values and NHWC geometry, or undefined for what only tfjs's cpu kernel handles.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, type ConvAttrs, type ConvGeometry } from './conv-geometry.js';
import { float32Values } from './tensor-data.js';

type KernelArgs = Parameters<KernelFunc>[0];

interface BackpropInputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: ConvAttrs & { inputShape: number[] };
  backend: MathBackendCPU;
}

interface BackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: ConvAttrs & { filterShape: number[] };
  backend: MathBackendCPU;
}

export interface BackpropInputOperands { g: ConvGeometry; dy: Float32Array; filter: Float32Array; backend: MathBackendCPU }
export interface BackpropFilterOperands { g: ConvGeometry; x: Float32Array; dy: Float32Array; backend: MathBackendCPU }

/** Conv2DBackpropInput's dy and filter (dx has attrs.inputShape). */
export function backpropInputOperands(args: KernelArgs): BackpropInputOperands | undefined {
  const { inputs, attrs, backend } = args as unknown as BackpropInputArgs;
  const dy = float32Values(backend, inputs.dy);
  const filter = float32Values(backend, inputs.filter);
  const g = convGeometry(attrs.inputShape, inputs.filter.shape, attrs);
  return dy && filter && g ? { g, dy, filter, backend } : undefined;
}

/** Conv2DBackpropFilter's x and dy (dW has attrs.filterShape). */
export function backpropFilterOperands(args: KernelArgs): BackpropFilterOperands | undefined {
  const { inputs, attrs, backend } = args as unknown as BackpropFilterArgs;
  const x = float32Values(backend, inputs.x);
  const dy = float32Values(backend, inputs.dy);
  const g = convGeometry(inputs.x.shape, attrs.filterShape, attrs);
  return x && dy && g ? { g, x, dy, backend } : undefined;
}

// Sum and Mean on the native code. tfjs's cpu kernels transpose the reduced axes innermost first
// (a per-element index computation); a reduction over one contiguous block of axes, the only kind a
// GAN step has (bias gradients, batch-norm statistics, per-sample norms, scalar losses), needs none.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

interface ReduceArgs {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: MathBackendCPU;
}

/** The shape as [outer, reduced, inner] when the reduced axes form one block (ignoring size-1 axes). */
function blockLayout(shape: number[], axes: number[]): [number, number, number] | undefined {
  const sizes = [1, 1, 1];
  let part = 0; // 0: before the reduced block, 1: inside it, 2: after it
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const reduced = axes.includes(d);
    if (reduced && part === 0) part = 1;
    if (!reduced && part === 1) part = 2;
    if (reduced && part === 2) return undefined;
    sizes[part] *= shape[d];
  }
  return sizes as [number, number, number];
}

function makeReduce(native: NativeKernels, mean: boolean, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs: { x }, attrs, backend } = args as unknown as ReduceArgs;
    const values = float32Values(backend, x);
    const axes = util.parseAxisParam(attrs.axis, x.shape);
    const layout = blockLayout(x.shape, axes);
    if (!values || !layout || values.length === 0) return fallback(args);
    const [outer, reduced, inner] = layout;
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const out = outputFloats(backend, outer * inner);
    native.reduceSum(values, outer, reduced, inner, mean ? 1 / reduced : 1, out);
    return makeFloat32(backend, attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, out);
  };
}

export function reduceOverrides(native: NativeKernels): Record<string, (fallback: KernelFunc) => KernelFunc> {
  return {
    Sum: (fallback) => makeReduce(native, false, fallback),
    Mean: (fallback) => makeReduce(native, true, fallback),
  };
}

// MatMul (BatchMatMul) and _FusedMatMul on the native gemm. Shapes, transposes and batch
// broadcasting follow tfjs's cpu kernel: batches are flattened and indexed modulo each side's count.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { broadcast_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { applyBiasAndActivation } from './fused-epilogue.js';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean };
  backend: MathBackendCPU;
}

/** C = op(A) op(B) natively, or undefined when the inputs are not float32 (the caller falls back). */
function nativeMatMul(native: NativeKernels, { inputs: { a, b }, attrs, backend }: MatMulArgs): TensorInfo | undefined {
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (!aValues || !bValues) return undefined;
  const { transposeA, transposeB } = attrs;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const innerA = transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const innerB = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const m = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const n = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  util.assert(
    innerA === innerB,
    () =>
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const outerDims = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const out = outputFloats(backend, batch * m * n);
  native.gemm(transposeA, transposeB, m, n, innerA, aValues, bValues, out, batch, batchA, batchB);
  return makeFloat32(backend, [...outerDims, m, n], out);
}

export function makeBatchMatMul(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => nativeMatMul(native, args as unknown as MatMulArgs) ?? fallback(args);
}

interface FusedMatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
  backend: MathBackendCPU;
}

export function makeFusedMatMul(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as FusedMatMulArgs;
    const product = nativeMatMul(native, { inputs: { a: inputs.a, b: inputs.b }, attrs, backend });
    if (!product) return fallback(args);
    return applyBiasAndActivation(backend, product, inputs.bias, attrs.activation, inputs.preluActivationWeights, attrs.leakyreluAlpha);
  };
}

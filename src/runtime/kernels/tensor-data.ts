// Reading and making float32 tensors on the cpu-based ganc backend without copies.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** The tensor's values when they are plain float32 (not int, bool, string or complex), else undefined. */
export function float32Values(backend: MathBackendCPU, tensor: TensorInfo): Float32Array | undefined {
  if (tensor.dtype !== 'float32') return undefined;
  const values = backend.data.get(tensor.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

export function makeFloat32(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32' as DataType, values);
}

// The ganc backend object: tfjs's cpu backend whose native kernels take their output arrays from a
// BufferPool, with the data-lifetime hooks the pool needs (see buffer-pool.ts). On the native route, kernels
// may still be running when their call returns (native.setDeferred): every read of tensor data in JavaScript
// goes through readSync (or a kernel wrapped by index.ts's `joined`), which first waits for them.
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendValues, DataId, DataType } from '@tensorflow/tfjs-core';
import { BufferPool } from './buffer-pool.js';

export class GancBackend extends MathBackendCPU {
  readonly pool = new BufferPool();
  /** Waits for the native kernels called so far (set by registerGancBackend; nothing to wait for elsewhere). */
  static joinKernels: () => void = () => {};

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.registered(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.pool.registered(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): BackendValues {
    GancBackend.joinKernels();
    const values = super.readSync(dataId);
    this.pool.escaped(values);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const removed = super.disposeData(dataId, force);
    if (removed && values) this.pool.released(values);
    return removed;
  }
}

/**
 * An output array for a kernel on `backend`: pooled on the ganc backend, fresh elsewhere. A pooled array
 * holds stale values, so the kernel must write every element (ganc's native kernels all do).
 */
export function outputFloats(backend: MathBackendCPU, length: number): Float32Array {
  return backend instanceof GancBackend ? backend.pool.take(length) : new Float32Array(length);
}

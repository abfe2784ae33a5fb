// A fused Adam update: one pass over a parameter, its gradient and its two slots instead of about
// fourteen elementwise ops (each a full read, write and allocation). Registered on the ganc backend's
// native route only; the optimizer uses it wherever the current backend has it.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

export const ADAM_UPDATE = 'GancAdamUpdate';

export interface AdamUpdateInputs { param: TensorInfo; m: TensorInfo; v: TensorInfo; grad: TensorInfo }
/** `step` counts updates from 1 (bias correction). */
export interface AdamUpdateAttrs extends NamedAttrMap { lr: number; beta1: number; beta2: number; eps: number; step: number }

export function makeAdamUpdate(native: NativeKernels): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: AdamUpdateInputs; attrs: AdamUpdateAttrs; backend: MathBackendCPU };
    const [param, m, v, grad] = [inputs.param, inputs.m, inputs.v, inputs.grad].map((t) => float32Values(backend, t));
    if (!param || !m || !v || !grad || new Set([param.length, m.length, v.length, grad.length]).size !== 1) {
      throw new Error(`${ADAM_UPDATE}: param, m, v and grad must be float32 tensors of one size`);
    }
    const [paramOut, mOut, vOut] = [0, 1, 2].map(() => outputFloats(backend, param.length));
    native.adam(param, m, v, grad, paramOut, mOut, vOut, attrs.lr, attrs.beta1, attrs.beta2, attrs.eps, attrs.step);
    return [paramOut, mOut, vOut].map((values) => makeFloat32(backend, inputs.param.shape, values));
  };
}

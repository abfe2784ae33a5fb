// Training-mode batch norm in one native kernel: the batch's per-channel mean and variance and the
// normalised, scaled and shifted output, with the same floats as the nine primitive kernels batchNormTrain
// (autodiff/ops.ts) runs elsewhere, in four passes over the activation instead of twelve; and its first
// derivatives in two passes (GancBatchNormTrainGrad). Registered on the ganc backend's native route only. The
// gradient rule (autodiff/gradient-rules.ts) runs the derivative kernel where nothing records the backward
// pass, and builds the derivatives from primitives where something does, so derivatives of any order go
// through it.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

export const BATCH_NORM_TRAIN = 'GancBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'GancBatchNormTrainGrad';

/** Outputs in this order: y (x's shape), mean and variance ([channels]). */
export function makeBatchNormTrain(native: NativeKernels): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      attrs: { eps: number };
      backend: MathBackendCPU;
    };
    const x = float32Values(backend, inputs.x);
    const gamma = float32Values(backend, inputs.gamma);
    const beta = float32Values(backend, inputs.beta);
    const channels = inputs.x.shape[inputs.x.shape.length - 1];
    if (!x || !gamma || !beta || inputs.x.shape.length < 2 || gamma.length !== channels || beta.length !== channels || x.length === 0) {
      throw new Error(`${BATCH_NORM_TRAIN}: needs a float32 x of rank >= 2 and float32 gamma and beta of its last dimension`);
    }
    const rows = util.sizeFromShape(inputs.x.shape) / channels;
    const y = outputFloats(backend, x.length);
    const mean = outputFloats(backend, channels);
    const variance = outputFloats(backend, channels);
    // 1 / rows as the Mean kernel computes its scale (reduce.ts), so the statistics have its bits.
    native.batchNormTrain(x, rows, channels, gamma, beta, attrs.eps, 1 / rows, y, mean, variance);
    return [makeFloat32(backend, inputs.x.shape, y), makeFloat32(backend, [channels], mean), makeFloat32(backend, [channels], variance)];
  };
}

/**
 * Inputs: x, gamma, the forward's mean and variance, and dy, dMean, dVariance (the derivatives of its three
 * outputs). Outputs in this order: dx (x's shape), dgamma and dbeta ([channels]). It has no gradient itself.
 */
export function makeBatchNormTrainGrad(native: NativeKernels): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: Record<'x' | 'gamma' | 'mean' | 'variance' | 'dy' | 'dMean' | 'dVariance', TensorInfo>;
      attrs: { eps: number };
      backend: MathBackendCPU;
    };
    const x = float32Values(backend, inputs.x);
    const dy = float32Values(backend, inputs.dy);
    const channels = inputs.x.shape[inputs.x.shape.length - 1];
    const perChannel = (['gamma', 'mean', 'variance', 'dMean', 'dVariance'] as const).map((name) => float32Values(backend, inputs[name]));
    if (!x || !dy || x.length === 0 || dy.length !== x.length || inputs.x.shape.length < 2 || perChannel.some((v) => !v || v.length !== channels)) {
      throw new Error(`${BATCH_NORM_TRAIN_GRAD}: needs float32 x and dy of one shape of rank >= 2 and float32 gamma, mean, variance, dMean and dVariance of its last dimension`);
    }
    const [gamma, mean, variance, dMean, dVariance] = perChannel as Float32Array[];
    const rows = util.sizeFromShape(inputs.x.shape) / channels;
    const dx = outputFloats(backend, x.length);
    const dGamma = outputFloats(backend, channels);
    const dBeta = outputFloats(backend, channels);
    native.batchNormTrainGrad(x, dy, rows, channels, mean, variance, gamma, dMean, dVariance, attrs.eps, dx, dGamma, dBeta);
    return [makeFloat32(backend, inputs.x.shape, dx), makeFloat32(backend, [channels], dGamma), makeFloat32(backend, [channels], dBeta)];
  };
}

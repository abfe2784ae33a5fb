// The bias add and activation that follow a fused matMul / conv2d, done by the cpu backend's own
// kernels so the results match tfjs exactly.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { GancBackend } from './ganc-backend.js';

function cpuKernel(name: string): KernelFunc {
  const config = getKernel(name, 'cpu');
  if (!config) throw new Error(`tfjs cpu backend has no ${name} kernel`);
  return config.kernelFunc;
}

function activationCall(
  activation: string,
  x: TensorInfo,
  preluWeights: TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): { kernel: string; inputs: Record<string, TensorInfo>; attrs?: NamedAttrMap } {
  switch (activation) {
    case 'linear':
      return { kernel: 'Identity', inputs: { x } };
    case 'relu':
      return { kernel: 'Relu', inputs: { x } };
    case 'elu':
      return { kernel: 'Elu', inputs: { x } };
    case 'relu6':
      return { kernel: 'Relu6', inputs: { x } };
    case 'sigmoid':
      return { kernel: 'Sigmoid', inputs: { x } };
    case 'prelu':
      return { kernel: 'Prelu', inputs: { x, alpha: preluWeights! } };
    case 'leakyrelu':
      return { kernel: 'LeakyRelu', inputs: { x }, attrs: { alpha: leakyreluAlpha ?? 0.2 } };
    default:
      throw new Error(`Activation ${activation} has not been implemented for the ganc backend.`);
  }
}

/** result + bias, then the activation; disposes the intermediates (result included) like tfjs does. */
export function applyBiasAndActivation(
  backend: MathBackendCPU,
  result: TensorInfo,
  bias: TensorInfo | undefined,
  activation: string | undefined,
  preluWeights: TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): TensorInfo {
  GancBackend.joinKernels();  // the cpu kernels below read `result` in JavaScript
  let current = result;
  if (bias) {
    const added = cpuKernel('Add')({ inputs: { a: current, b: bias }, backend }) as TensorInfo;
    backend.disposeIntermediateTensorInfo(current);
    current = added;
  }
  if (activation) {
    const call = activationCall(activation, current, preluWeights, leakyreluAlpha);
    const activated = cpuKernel(call.kernel)({ inputs: call.inputs, backend, attrs: call.attrs }) as TensorInfo;
    backend.disposeIntermediateTensorInfo(current);
    current = activated;
  }
  return current;
}

// dy * step(x, alpha) in one pass: the gradient of relu (alpha 0) and leakyRelu, on the hot path of every
// D and differentiated again by double backprop. Multiply(dy, Step(x, alpha)) reads and writes the tensor
// twice; this kernel gives the same floats in one pass. Registered on the ganc backend's native route only;
// the gradient rules use it wherever the current backend has it (stepMultiply in autodiff/gradient-rules.ts).
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

export const STEP_MULTIPLY = 'GancStepMultiply';

export function makeStepMultiply(native: NativeKernels): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { dy: TensorInfo; x: TensorInfo };
      attrs: { alpha: number };
      backend: MathBackendCPU;
    };
    const dy = float32Values(backend, inputs.dy);
    const x = float32Values(backend, inputs.x);
    if (!dy || !x || !util.arraysEqual(inputs.dy.shape, inputs.x.shape)) {
      throw new Error(`${STEP_MULTIPLY}: dy and x must be float32 tensors of one shape`);
    }
    const out = outputFloats(backend, x.length);
    if (x.length > 0) native.stepMultiply(dy, x, out, attrs.alpha);
    return makeFloat32(backend, inputs.x.shape, out);
  };
}

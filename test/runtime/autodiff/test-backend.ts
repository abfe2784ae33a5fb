// Selects the tfjs backend the autodiff suite runs on: GANC_TEST_BACKEND (default 'cpu'; 'ganc' runs
// the suite on ganc's own kernels, native or portable as GANC_KERNELS says; 'webgpu' on tfjs's WebGPU
// backend over Dawn, which reads tensors back only asynchronously: the suite reads through read()).
import * as tf from '@tensorflow/tfjs-core';

export const TEST_BACKEND = process.env.GANC_TEST_BACKEND ?? 'cpu';

export async function useTestBackend(): Promise<void> {
  if (TEST_BACKEND === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else if (TEST_BACKEND === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (TEST_BACKEND === 'ganc') await (await import('../../../src/runtime/kernels/index.js')).registerGancBackend();
  else if (TEST_BACKEND === 'webgpu') await (await import('../../../src/runtime/webgpu.js')).registerWebgpuBackend();
  if (!(await tf.setBackend(TEST_BACKEND))) throw new Error(`tfjs backend '${TEST_BACKEND}' failed to start`);
  await tf.ready();
}

/** Whether the active backend implements a kernel (wasm, for one, has no Conv2DBackpropFilter). */
export function backendHasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, TEST_BACKEND) != null;
}

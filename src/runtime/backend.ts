// Choosing the tfjs backend a run computes on. `ganc` (the default) is the cpu backend with ganc's
// fast kernels; `cpu` and `wasm` are stock tfjs; `webgpu` is tfjs's WebGPU backend over Dawn (a GPU
// through Vulkan: webgpu.ts); `tensorflow(-gpu)` need @tensorflow/tfjs-node(-gpu), which cannot be
// installed everywhere. The optional ones are loaded only when asked for.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { installGradientFixes } from './autodiff/index.js';
import { UserError } from '../errors.js';
import type { GancBackendInfo } from './kernels/index.js';
import type { AdapterInfo } from './webgpu.js';

export const BACKENDS = ['ganc', 'cpu', 'wasm', 'webgpu', 'tensorflow', 'tensorflow-gpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A backend the user asked for that this machine cannot provide. */
export class BackendError extends UserError {}

export interface BackendInfo {
  name: BackendName;
  /** Backend ganc's kernel route (native or portable), for run.json. */
  kernels?: GancBackendInfo;
  /** One line for the user, e.g. that ganc fell back to its portable kernels. */
  notice?: string;
  /** The GPU adapter of the webgpu backend. */
  adapter?: AdapterInfo;
}

/**
 * Whether reading a tensor back blocks until the device has caught up (a GPU): the training loop then
 * reads values in batches, asynchronously. The webgpu backend cannot read synchronously under Node at all.
 */
export function deferredReadback(name: BackendName): boolean {
  return name === 'webgpu';
}

const TF_NODE_PACKAGES: Partial<Record<BackendName, string>> = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

export async function selectBackend(name: BackendName = 'ganc'): Promise<BackendInfo> {
  if (!BACKENDS.includes(name)) throw new BackendError(`unknown backend '${name}'; expected one of ${BACKENDS.join(', ')}`);
  // Prod mode silences tfjs's console advice (e.g. to install tfjs-node), which would pollute ganc's output.
  tf.enableProdMode();
  let notice: string | undefined;
  let kernels: GancBackendInfo | undefined;
  let adapter: AdapterInfo | undefined;
  if (name === 'webgpu') {
    const webgpu = await import('./webgpu.js');
    adapter = await webgpu.registerWebgpuBackend();
    if (adapter.software) notice = `webgpu adapter ${webgpu.describeAdapter(adapter)}: expect CPU speed or worse`;
  } else if (name === 'ganc') {
    const { registerGancBackend } = await import('./kernels/index.js');
    kernels = await registerGancBackend();
    notice = kernels.notice;
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    (await import('./wasm-conv-filter.js')).registerWasmConvFilter();
  } else if (name in TF_NODE_PACKAGES) {
    const pkg = TF_NODE_PACKAGES[name]!;
    try {
      await import(pkg);
    } catch {
      throw new BackendError(`backend '${name}' needs the package ${pkg}, which is not installed (npm install ${pkg}); use --backend ganc`);
    }
  }
  // tfjs-core registers no gradients under Node, and tfjs-node brings its own (wrong at second order):
  // ganc's table goes in after any backend package has loaded.
  installGradientFixes();
  const tfName = name === 'tensorflow' || name === 'tensorflow-gpu' ? 'tensorflow' : name;
  if (!(await tf.setBackend(tfName))) throw new BackendError(`backend '${name}' failed to initialise`);
  await tf.ready();
  return { name, notice, ...(kernels ? { kernels } : {}), ...(adapter ? { adapter } : {}) };
}

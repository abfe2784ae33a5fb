// The configurations train-bench compares: ganc's native and portable kernel routes, stock tfjs, and
// tfjs's WebGPU backend on whatever adapter this machine has (labelled with it in the table).
// The portable route is chosen by GANC_KERNELS=portable, so every configuration runs in its own process.
import type { BackendName } from '../src/runtime/backend.js';

interface BenchBackend {
  backend: BackendName;
  env: Record<string, string>;
  /** Too slow for the DCGAN specs at full step counts (seconds to a minute per iteration). */
  slow: boolean;
}

export const BENCH_BACKENDS: Record<string, BenchBackend> = {
  ganc: { backend: 'ganc', env: {}, slow: false },
  'ganc-portable': { backend: 'ganc', env: { GANC_KERNELS: 'portable' }, slow: true },
  wasm: { backend: 'wasm', env: {}, slow: true },
  cpu: { backend: 'cpu', env: {}, slow: true },
  // A GPU is not slow; a software adapter (lavapipe) is: give it --steps 3 --warmup 1.
  webgpu: { backend: 'webgpu', env: {}, slow: false },
};

export function benchBackendNames(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(name in BENCH_BACKENDS)) throw new Error(`unknown bench backend '${name}'; expected one of ${Object.keys(BENCH_BACKENDS).join(', ')}`);
  }
  return names;
}

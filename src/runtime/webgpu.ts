// `--backend webgpu`: tfjs's WebGPU backend (@tensorflow/tfjs-backend-webgpu) over Dawn's Node bindings
// (the npm package `webgpu`, prebuilt). Dawn reaches the GPU through Vulkan on Linux (Metal on macOS,
// D3D12 on Windows): with NVIDIA's, AMD's or Intel's Vulkan driver it computes on the GPU; with Mesa's
// lavapipe (a software Vulkan device, `mesa-vulkan-drivers` 23 or newer) it runs on the CPU, slowly but
// correctly, which is how CI checks this route. Both packages are optional dependencies: where either
// cannot load, or no adapter is found, selecting the backend is a one-line user error, never a fallback.
import { existsSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';

/** What a user needs to see to know whether the GPU is really used. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (lavapipe, SwiftShader, WARP): correct, not fast. */
  software: boolean;
}

export class WebgpuUnavailableError extends UserError {}

// Optional packages, imported by a name held in a variable so that the build does not need them.
const DAWN_PACKAGE: string = 'webgpu';
const TFJS_WEBGPU_PACKAGE: string = '@tensorflow/tfjs-backend-webgpu';
const INSTALL = 'npm install webgpu @tensorflow/tfjs-backend-webgpu';
const NO_ADAPTER = "backend 'webgpu' found no GPU adapter: no Vulkan driver is installed or none sees a device "
  + "(install your GPU's Vulkan driver, or Mesa's software one: mesa-vulkan-drivers 23 or newer); use --backend ganc";

/** One line naming the adapter, e.g. `mesa llvmpipe (software adapter: runs on the CPU)`. */
export function describeAdapter(a: AdapterInfo): string {
  const name = a.description || a.device || 'unnamed device';
  const arch = a.architecture ? `, architecture ${a.architecture}` : '';
  return `${a.vendor || 'unknown vendor'} ${name}${arch}${a.software ? ' (software adapter: runs on the CPU, not a GPU)' : ''}`;
}

/**
 * The Vulkan loader's driver manifests, where it looks for them on Linux (an override variable replaces
 * the search). None found means Dawn would find no Vulkan adapter: said in one line without starting
 * Dawn, which otherwise prints its own warnings first. Not a proof a driver works; Dawn decides that.
 */
export function vulkanDriverManifests(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES;
  const listed = (value: string | undefined): string[] => (value ? value.split(delimiter).filter(Boolean) : []);
  const manifestsIn = (dir: string): string[] => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
    } catch {
      return [];
    }
  };
  const expand = (paths: string[]): string[] => paths.flatMap((p) => (p.endsWith('.json') ? (existsSync(p) ? [p] : []) : manifestsIn(p)));
  const added = expand(listed(env.VK_ADD_DRIVER_FILES));
  if (override) return [...expand(listed(override)), ...added];
  const home = env.HOME || homedir();
  const dirs = [
    env.XDG_CONFIG_HOME || join(home, '.config'),
    ...listed(env.XDG_CONFIG_DIRS || '/etc/xdg'),
    '/etc',
    env.XDG_DATA_HOME || join(home, '.local/share'),
    ...listed(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'),
  ];
  return [...dirs.flatMap((d) => manifestsIn(join(d, 'vulkan/icd.d'))), ...added];
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(descriptor: unknown): Promise<unknown>;
}

let registered: AdapterInfo | null = null;
let deviceError: string | null = null;

/** Throws if the WebGPU device has reported an error since the last call (see the factory below). */
export function checkDeviceErrors(): void {
  if (deviceError === null) return;
  const message = deviceError;
  deviceError = null;
  throw new Error(`the WebGPU device reported an error, so results would be wrong: ${message.split('\n')[0]}`);
}

/**
 * Finds the adapter, registers tfjs's WebGPU backend on it under the name 'webgpu' and returns what the
 * adapter is. Throws WebgpuUnavailableError (one line) when the packages or an adapter are missing.
 */
export async function registerWebgpuBackend(): Promise<AdapterInfo> {
  if (registered) return registered;
  if (process.platform === 'linux' && vulkanDriverManifests().length === 0) throw new WebgpuUnavailableError(NO_ADAPTER);
  let dawn: DawnModule;
  try {
    dawn = (await import(DAWN_PACKAGE)) as DawnModule;
  } catch (e) {
    throw new WebgpuUnavailableError(`backend 'webgpu' needs the optional package webgpu (Dawn's Node bindings), which is not installed or does not load here (${firstLine(e)}); ${INSTALL}, or use --backend ganc`);
  }
  // tfjs's kernels use the WebGPU constants (GPUBufferUsage, ...) as globals, as in a browser.
  Object.assign(globalThis, dawn.globals);
  // Dawn wants a writable runtime directory for its caches and warns without one.
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebgpuUnavailableError(NO_ADAPTER);
  // The backend checks for navigator.gpu, as in a browser; Node 20 has no navigator at all.
  const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as object;
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  if (!(globalThis as { navigator?: object }).navigator) Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
  let WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend;
  try {
    ({ WebGPUBackend } = (await import(TFJS_WEBGPU_PACKAGE)) as { WebGPUBackend: typeof WebGPUBackend });
  } catch (e) {
    throw new WebgpuUnavailableError(`backend 'webgpu' needs the optional package @tensorflow/tfjs-backend-webgpu, which is not installed (${firstLine(e)}); ${INSTALL}, or use --backend ganc`);
  }
  fixAddN();
  // tfjs runs a kernel on the CPU when its inputs are small and still on the CPU (WEBGPU_CPU_FORWARD): a
  // silent CPU route for tiny tensors. ganc's webgpu backend computes everything on the device, so that
  // the tests on it check the GPU's kernels and a run is one route.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  // The package registers a factory of its own that asks for another adapter; ganc's uses the one found.
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    const features = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
    // tfjs's own list, and the storage buffers a shader may bind (WebGPU's default is 8; AddN needs one per input).
    const limits = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
      'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage'];
    const device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: Object.fromEntries(limits.map((l) => [l, adapter.limits[l]])),
    }) as { onuncapturederror: ((event: { error: { message: string } }) => void) | null };
    // A shader or pipeline the device rejects leaves its output unwritten, and tfjs does not look: the
    // first such error is kept and raised at the next read (readback.ts), never ignored.
    device.onuncapturederror = (event) => { deviceError ??= event.error.message; };
    return new WebGPUBackend(device, adapter.info);
  }, 3);
  const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info;
  registered = {
    vendor, architecture, device, description,
    software: Boolean(isFallbackAdapter) || architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(`${device} ${description}`),
  };
  return registered;
}

/**
 * tfjs's WebGPU AddN binds every input as a storage buffer in one shader, so more inputs than the device's
 * maxStorageBuffersPerShaderStage − 1 (7 under WebGPU's default limits, 15 on lavapipe) make an invalid
 * pipeline, and the sum comes out NaN with only a validation message on stderr (ganc's global gradient
 * norm sums one term per parameter). Concat splits its inputs this way; AddN is made to as well: sums of
 * at most that many inputs, then the sum of those.
 */
function fixAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original) throw new Error("internal: tfjs's webgpu backend has no AddN kernel");
  tf.unregisterKernel('AddN', 'webgpu');
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as tf.KernelBackend & { device: { limits: { maxStorageBuffersPerShaderStage: number } } };
    const most = backend.device.limits.maxStorageBuffersPerShaderStage - 1;
    if (inputs.length <= most) return original.kernelFunc(args) as tf.TensorInfo;
    const partial: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += most) {
      const chunk = inputs.slice(i, i + most);
      partial.push(chunk.length === 1 ? chunk[0] : kernelFunc({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }));
    }
    const sum = kernelFunc({ ...args, inputs: partial as unknown as tf.NamedTensorInfoMap });
    for (const p of partial) if (!inputs.includes(p)) backend.disposeData(p.dataId);
    return sum;
  };
  tf.registerKernel({ kernelName: 'AddN', backendName: 'webgpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

// The `ganc` tfjs backend: tfjs's cpu backend (MathBackendCPU and all its kernels) with the hot
// kernels replaced. Route 'native' uses the C++ addon in native/ (packed AVX2/FMA gemm or OpenBLAS,
// im2col convolutions, broadcasting elementwise ops and reductions, a fused Adam update, all over a thread
// pool); route 'portable' needs no build: matMul, convolutions, arithmetic and sums on tfjs's WebAssembly
// kernels (portable-wasm.ts), or, where even those cannot start, the stock cpu kernels with a TypeScript
// Conv2DBackpropFilter (the stock one is unusably slow).
import {
  getKernel,
  getKernelsForBackend,
  registerBackend,
  registerKernel,
  unregisterKernel,
  util,
  type DataType,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, makeAdamUpdate } from './adam-update.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, makeBatchNormTrain, makeBatchNormTrainGrad } from './batch-norm.js';
import { CONV2D_BIAS, makeConv2DBias } from './conv2d-bias.js';
import { makeConv2D, makeConv2DBackpropFilter, makeConv2DBackpropInput, makeFusedConv2D } from './conv2d.js';
import { elementwiseOverrides } from './elementwise.js';
import { GancBackend } from './ganc-backend.js';
import { profiled } from './kernel-profile.js';
import { makeBatchMatMul, makeFusedMatMul } from './matmul.js';
import { loadNativeKernels, type NativeKernels } from './native.js';
import { makePortableConv2DBackpropFilter } from './portable-conv2d-backprop-filter.js';
import { wasmOverrides } from './portable-wasm.js';
import { reduceOverrides } from './reduce.js';
import { makeStepMultiply, STEP_MULTIPLY } from './step-multiply.js';

export { kernelProfile, type KernelStat } from './kernel-profile.js';

export const GANC_BACKEND = 'ganc';

export type KernelRoute = 'native' | 'portable';

export interface GancBackendInfo {
  route: KernelRoute;
  /** Who does the native route's matMul: OpenBLAS found at run time, ganc's own gemm, or none (portable). */
  blas: 'openblas' | 'ganc' | 'none';
  /** One line for the user when ganc runs on its portable kernels. */
  notice?: string;
}

/** Replacement kernels by kernel name; each gets the stock cpu kernel to fall back on. */
type Overrides = Record<string, (fallback: KernelFunc) => KernelFunc>;

function nativeOverrides(native: NativeKernels): Overrides {
  return {
    ...elementwiseOverrides(native),
    ...reduceOverrides(native),
    BatchMatMul: (fallback) => makeBatchMatMul(native, fallback),
    _FusedMatMul: (fallback) => makeFusedMatMul(native, fallback),
    Conv2D: (fallback) => makeConv2D(native, fallback),
    FusedConv2D: (fallback) => makeFusedConv2D(native, fallback),
    Conv2DBackpropInput: (fallback) => makeConv2DBackpropInput(native, fallback),
    Conv2DBackpropFilter: (fallback) => makeConv2DBackpropFilter(native, fallback),
  };
}

/** The portable route where even the WebAssembly kernels cannot start. */
const portableOverrides: Overrides = {
  Conv2DBackpropFilter: makePortableConv2DBackpropFilter,
};

/** Calls of tfjs's cpu kernels that never touch tensor data: they share the input's data id. */
const DATA_FREE: Record<string, (args: Parameters<KernelFunc>[0]) => boolean> = {
  Reshape: () => true,
  Identity: () => true,
  // A cast to a type that holds every value of the input's (bool to float32, float32 to float32).
  Cast: ({ inputs, attrs }) => {
    const from = (inputs.x as TensorInfo).dtype;
    const to = attrs?.dtype as DataType;
    return from !== 'complex64' && to !== 'complex64' && !util.hasEncodingLoss(from, to);
  },
};

/** The kernel, after waiting for the native kernels called before it unless this call touches no data. */
function joined(kernelName: string, kernelFunc: KernelFunc, join: () => void): KernelFunc {
  const dataFree = DATA_FREE[kernelName];
  return (args) => {
    if (!dataFree?.(args)) join();
    return kernelFunc(args);
  };
}

/**
 * Every cpu kernel on the ganc backend, replaced by its override where there is one. With `join` (the native
 * route, whose kernels return before they have run), each cpu kernel that reads tensor data in JavaScript,
 * called directly or as an override's fallback, first waits for the native kernels called before it.
 */
function registerKernels(overrides: Overrides, join?: () => void): void {
  for (const config of getKernelsForBackend('cpu')) {
    const override = overrides[config.kernelName];
    const stock = join ? joined(config.kernelName, config.kernelFunc, join) : config.kernelFunc;
    const kernelFunc = override ? override(stock) : stock;
    const gancConfig: KernelConfig = { ...config, backendName: GANC_BACKEND, kernelFunc: profiled(config.kernelName, kernelFunc, join) };
    if (getKernel(config.kernelName, GANC_BACKEND)) unregisterKernel(config.kernelName, GANC_BACKEND);
    registerKernel(gancConfig);
  }
}

/**
 * ganc's own kernels, which tfjs has no name for: on the native route only; their callers (the optimizer,
 * the gradient rules, conv layers) use them wherever the current backend has them.
 */
const NATIVE_ONLY_KERNELS: Record<string, (native: NativeKernels) => KernelFunc> = {
  [ADAM_UPDATE]: makeAdamUpdate,
  [STEP_MULTIPLY]: makeStepMultiply,
  [CONV2D_BIAS]: makeConv2DBias,
  [BATCH_NORM_TRAIN]: makeBatchNormTrain,
  [BATCH_NORM_TRAIN_GRAD]: makeBatchNormTrainGrad,
};

/** Registers ganc's own kernels on the native addon, or removes them (native null: the portable route). */
function registerNativeOnlyKernels(native: NativeKernels | null): void {
  for (const [kernelName, make] of Object.entries(NATIVE_ONLY_KERNELS)) {
    if (getKernel(kernelName, GANC_BACKEND)) unregisterKernel(kernelName, GANC_BACKEND);
    if (native) registerKernel({ kernelName, backendName: GANC_BACKEND, kernelFunc: profiled(kernelName, make(native), () => native.join()) });
  }
}

/**
 * Native kernels return before they have run (the JavaScript thread goes on building the step while the pool
 * computes) on the native route, unless GANC_DEFERRED=0; on the portable one, nothing is left running.
 */
function deferNativeKernels(native: NativeKernels | null): void {
  const loaded = loadNativeKernels();
  if ('kernels' in loaded) loaded.kernels.setDeferred(native !== null && process.env.GANC_DEFERRED !== '0');
  GancBackend.joinKernels = native ? () => native.join() : () => {};
}

let current: GancBackendInfo | undefined;

function requestedRoute(opts?: { route?: KernelRoute }): KernelRoute {
  if (opts?.route) return opts.route;
  return process.env.GANC_KERNELS === 'portable' ? 'portable' : 'native';
}

async function portable(reason: string): Promise<GancBackendInfo> {
  const wasm = await wasmOverrides();
  deferNativeKernels(null);
  registerKernels('error' in wasm ? portableOverrides : wasm);
  registerNativeOnlyKernels(null);
  const kernels = 'error' in wasm ? `tfjs's cpu kernels (${wasm.error})` : 'WebAssembly kernels';
  return { route: 'portable', blas: 'none', notice: `ganc: using portable ${kernels}, training will be slow: ${reason}` };
}

/**
 * Registers backend 'ganc' and its kernels (it does not select it: call tf.setBackend('ganc')).
 * Idempotent; asking again for the other route swaps the kernels in place. Route defaults to native
 * unless GANC_KERNELS=portable; without a usable addon it is portable, and the notice says why.
 */
export async function registerGancBackend(opts?: { route?: KernelRoute }): Promise<GancBackendInfo> {
  const route = requestedRoute(opts);
  if (current?.route === route) return current;
  if (!current) registerBackend(GANC_BACKEND, () => new GancBackend(), 0);

  let info: GancBackendInfo;
  if (route === 'portable') {
    info = await portable(opts?.route ? 'requested by the caller' : 'GANC_KERNELS=portable is set');
  } else {
    const loaded = loadNativeKernels();
    if ('error' in loaded) {
      info = await portable(loaded.error);
    } else {
      const native = loaded.kernels;
      registerKernels(nativeOverrides(native), () => native.join());
      registerNativeOnlyKernels(native);
      deferNativeKernels(native);
      info = { route: 'native', blas: loaded.kernels.blas() };
    }
  }
  if (info.notice && current?.notice !== info.notice) console.warn(info.notice);
  current = info;
  return info;
}

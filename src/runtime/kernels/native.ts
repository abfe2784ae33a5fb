// Loads ganc's native kernels (native/, built by node-gyp at npm install). A missing or broken build
// is not an error: the caller falls back to the portable kernels.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tfjs kernel name -> op code, per elementwise family (native/src/elementwise.h's lists). */
export interface NativeOpCodes {
  binary: Record<string, number>;
  compare: Record<string, number>;
  unary: Record<string, number>;
}

/**
 * The addon's functions; see native/src/addon.cc. Float32Arrays are read and written in place. Every
 * function checks its argument count, types and buffer lengths and throws a TypeError or RangeError
 * naming the function and argument instead of reading or writing past a buffer.
 */
export interface NativeKernels {
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    batchA: number,
    batchB: number,
  ): void;
  conv2d(geometry: Int32Array, x: Float32Array, filter: Float32Array, y: Float32Array): void;
  /**
   * y = conv2d(x, filter) + bias (outChannels floats), each element the same float as a separate Add; with
   * activation 1, then leakyRelu(., alpha) as the LeakyRelu kernel computes it (activation 0: none).
   */
  conv2dBias(geometry: Int32Array, x: Float32Array, filter: Float32Array, bias: Float32Array, y: Float32Array, activation: number, alpha: number): void;
  conv2dBackpropInput(geometry: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  conv2dBackpropFilter(geometry: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  binary(op: number, a: Float32Array, aShape: Int32Array, b: Float32Array, bShape: Int32Array, out: Float32Array, outShape: Int32Array): void;
  compare(op: number, a: Float32Array, aShape: Int32Array, b: Float32Array, bShape: Int32Array, out: Uint8Array, outShape: Int32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  select(condition: Uint8Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = dy * step(x, alpha), elementwise, all of one length. */
  stepMultiply(dy: Float32Array, x: Float32Array, out: Float32Array, alpha: number): void;
  reduceSum(x: Float32Array, outer: number, reduced: number, inner: number, scale: number, out: Float32Array): void;
  batchNormTrain(
    x: Float32Array,
    rows: number,
    channels: number,
    gamma: Float32Array,
    beta: Float32Array,
    eps: number,
    scale: number,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  batchNormTrainGrad(
    x: Float32Array,
    dy: Float32Array,
    rows: number,
    channels: number,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dmean: Float32Array,
    dvariance: Float32Array,
    eps: number,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
  ): void;
  /**
   * On: kernel entries return before their kernel has run, and kernels run in call order while JavaScript goes
   * on; an output must not be read in JavaScript before join(). Off (the default): each call returns with its
   * outputs written.
   */
  setDeferred(on: boolean): void;
  /** Returns when every kernel called so far has run (the calling thread works on them meanwhile). */
  join(): void;
  adam(
    param: Float32Array,
    m: Float32Array,
    v: Float32Array,
    grad: Float32Array,
    paramOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    step: number,
  ): void;
  setBlas(name: 'openblas' | 'ganc'): 'openblas' | 'ganc';
  blas(): 'openblas' | 'ganc';
  threads(): number;
  opCodes(): NativeOpCodes;
}

/** Every function NativeKernels names: an addon built from older sources lacks some, and is not used. */
const ENTRIES = [
  'gemm',
  'conv2d',
  'conv2dBias',
  'conv2dBackpropInput',
  'conv2dBackpropFilter',
  'binary',
  'compare',
  'unary',
  'select',
  'stepMultiply',
  'reduceSum',
  'batchNormTrain',
  'batchNormTrainGrad',
  'adam',
  'setBlas',
  'blas',
  'threads',
  'opCodes',
  'setDeferred',
  'join',
] as const satisfies readonly (keyof NativeKernels)[];

// src/runtime/kernels and dist/runtime/kernels are both three levels below the package root.
const ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'build', 'Release', 'ganc_native.node');

export type NativeLoadResult = { kernels: NativeKernels } | { error: string };

let loaded: NativeLoadResult | undefined;

export function loadNativeKernels(): NativeLoadResult {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    loaded = { error: 'native kernels not built (npm install builds them; needs a C++ compiler)' };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as Record<string, unknown>;
    const missing = ENTRIES.filter((name) => typeof addon[name] !== 'function');
    loaded = missing.length
      ? { error: `native kernels out of date (no ${missing.join(', ')}; npm install rebuilds them)` }
      : { kernels: addon as unknown as NativeKernels };
  } catch (err) {
    loaded = { error: `native kernels failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
  return loaded;
}

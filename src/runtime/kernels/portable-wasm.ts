// The portable route's matMul, convolutions, arithmetic and sums on tfjs's WebAssembly backend (XNNPACK,
// SIMD): no native build needed, and 10-40x tfjs's cpu kernels. Operands are copied into the wasm heap and the result
// back, which costs little next to the kernels. Both conv backprops are im2col / col2im in TypeScript
// around one wasm matMul (the wasm backend has no filter gradient, and its input gradient is slow).
// The wasm backend binds its kernels to one instance at setup: ganc's instance is private, so ganc's
// portable route and tfjs's own 'wasm' backend must not be mixed in one process (whichever was set up
// last would run the other's kernels on the wrong heap).
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { findBackendFactory, getKernel, getKernelsForBackend, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { filterShape, inputShape, type ConvGeometry } from './conv-geometry.js';
import { backpropFilterOperands, backpropInputOperands } from './conv-operands.js';
import { im2col } from './portable-conv2d-backprop-filter.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

interface Operand { values: Float32Array; shape: number[] }

/** Runs tfjs-wasm's kernel on copies of the operands; the result as a float32 array of out's shape. */
function runOnWasm(wasm: BackendWasm, kernelName: string, operands: Record<string, Operand>, attrs: NamedAttrMap): Operand {
  const config = getKernel(kernelName, 'wasm');
  if (!config) throw new Error(`tfjs-backend-wasm has no ${kernelName} kernel`);
  const inputs: Record<string, TensorInfo> = {};
  for (const [name, { values, shape }] of Object.entries(operands)) {
    inputs[name] = { dataId: wasm.write(values, shape, 'float32'), shape, dtype: 'float32' };
  }
  const out = config.kernelFunc({ inputs, attrs, backend: wasm }) as TensorInfo;
  try {
    return { values: wasm.readSync(out.dataId) as Float32Array, shape: out.shape };
  } finally {
    for (const info of [...Object.values(inputs), out]) wasm.disposeData(info.dataId, true);
  }
}

interface Args { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap; backend: MathBackendCPU }

/** A kernel that sends its float32 inputs to wasm's kernel of the same name, else the cpu fallback. */
function delegate(wasm: BackendWasm, kernelName: string, fallback: KernelFunc, accepts: (args: Args) => boolean): KernelFunc {
  return (raw) => {
    const args = raw as unknown as Args;
    const operands: Record<string, Operand> = {};
    for (const [name, info] of Object.entries(args.inputs)) {
      const values = float32Values(args.backend, info);
      if (!values || values.length === 0) return fallback(raw);
      operands[name] = { values, shape: info.shape };
    }
    if (!accepts(args)) return fallback(raw);
    const out = runOnWasm(wasm, kernelName, operands, args.attrs);
    return makeFloat32(args.backend, out.shape, out.values);
  };
}

const channelsLast = ({ attrs }: Args): boolean => attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';
const undilated = ({ attrs }: Args): boolean => {
  const d = attrs.dilations as number | number[] | undefined;
  return d === undefined || (Array.isArray(d) ? d.every((v) => v === 1) : d === 1);
};

/** The [cols, rows] transpose of a row-major [rows, cols] matrix, in cache-sized tiles. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = m[r * cols + c];
    }
  }
  return out;
}

function conv2DBackpropFilter(wasm: BackendWasm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const operands = backpropFilterOperands(args);
    if (!operands) return fallback(args);
    const { g, x, dy, backend } = operands;
    const rows = g.batch * g.outHeight * g.outWidth;
    const k = g.filterHeight * g.filterWidth * g.inChannels;
    const cols = new Float32Array(rows * k);
    im2col(g, x, 0, rows, cols);
    // dW[k, out] = colsᵀ · dy over every output pixel; wasm's matMul is far faster untransposed.
    const dw = runOnWasm(wasm, 'BatchMatMul', { a: { values: transpose(cols, rows, k), shape: [k, rows] }, b: { values: dy, shape: [rows, g.outChannels] } },
      { transposeA: false, transposeB: false });
    return makeFloat32(backend, filterShape(g), dw.values);
  };
}

/** dx += the patches in cols[pixel, tap, c], the scatter-add inverse of im2col (padding dropped). */
function col2im(g: ConvGeometry, cols: Float32Array, dx: Float32Array): void {
  const pixels = g.outHeight * g.outWidth;
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const rows = g.batch * pixels;
  for (let row = 0; row < rows; row++) {
    const n = Math.floor(row / pixels);
    const pixel = row % pixels;
    const top = Math.floor(pixel / g.outWidth) * g.strideHeight - g.padTop;
    const left = (pixel % g.outWidth) * g.strideWidth - g.padLeft;
    let src = row * k;
    for (let fh = 0; fh < g.filterHeight; fh++) {
      const ih = top + fh;
      for (let fw = 0; fw < g.filterWidth; fw++, src += g.inChannels) {
        const iw = left + fw;
        if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) continue;
        const dst = ((n * g.inHeight + ih) * g.inWidth + iw) * g.inChannels;
        for (let c = 0; c < g.inChannels; c++) dx[dst + c] += cols[src + c];
      }
    }
  }
}

function conv2DBackpropInput(wasm: BackendWasm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const operands = backpropInputOperands(args);
    if (!operands) return fallback(args);
    const { g, dy, filter, backend } = operands;
    const rows = g.batch * g.outHeight * g.outWidth;
    const k = g.filterHeight * g.filterWidth * g.inChannels;
    // cols[pixel, k] = dy · Wᵀ, then each patch is added back where im2col took it from.
    const cols = runOnWasm(wasm, 'BatchMatMul', { a: { values: dy, shape: [rows, g.outChannels] }, b: { values: transpose(filter, k, g.outChannels), shape: [g.outChannels, k] } },
      { transposeA: false, transposeB: false });
    const dx = new Float32Array(g.batch * g.inHeight * g.inWidth * g.inChannels);
    col2im(g, cols.values, dx);
    return makeFloat32(backend, inputShape(g), dx);
  };
}

/** The portable route's overrides by kernel name, or an error when the wasm backend cannot start. */
export async function wasmOverrides(): Promise<Record<string, (fallback: KernelFunc) => KernelFunc> | { error: string }> {
  let wasm: BackendWasm;
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    wasm = (await findBackendFactory('wasm')()) as BackendWasm;
    // What tf.setBackend('wasm') does for the active backend: bind every kernel (some call others) to it.
    for (const config of getKernelsForBackend('wasm')) config.setupFunc?.(wasm);
  } catch (err) {
    return { error: `the WebAssembly kernels failed to start: ${(err as Error).message.split('\n')[0]}` };
  }
  const always = () => true;
  return {
    // tfjs's cpu kernels compute a broadcast index per element; wasm's are vectorised.
    ...Object.fromEntries(['Add', 'Sub', 'Multiply', 'RealDiv', 'Sum', 'Mean'].map((name) => [name, (fallback: KernelFunc) => delegate(wasm, name, fallback, always)])),
    BatchMatMul: (fallback) => delegate(wasm, 'BatchMatMul', fallback, always),
    Conv2D: (fallback) => delegate(wasm, 'Conv2D', fallback, (args) => channelsLast(args) && undilated(args)),
    Conv2DBackpropInput: (fallback) => conv2DBackpropInput(wasm, fallback),
    Conv2DBackpropFilter: (fallback) => conv2DBackpropFilter(wasm, fallback),
  };
}

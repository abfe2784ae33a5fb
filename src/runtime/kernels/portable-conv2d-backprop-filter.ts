// Conv2DBackpropFilter in TypeScript for when neither native nor WebAssembly kernels run (and im2col,
// which the WebAssembly route shares): tfjs's cpu kernel walks
// the filter gradient one element at a time through TensorBuffer.get (18 s for one DCGAN-MNIST layer);
// im2col plus a cache-blocked product is two orders of magnitude faster.
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { filterShape, type ConvGeometry } from './conv-geometry.js';
import { backpropFilterOperands } from './conv-operands.js';
import { makeFloat32 } from './tensor-data.js';

// Rows of the im2col matrix built at a time (bounded so its buffer stays in cache).
const COLUMN_BUDGET = 1 << 18;
// Filter-gradient rows updated per pass over the columns: 32 rows x out channels fit in L1.
const FILTER_ROW_BLOCK = 32;

/** cols[(row - row0) * k + tap * inChannels + c]: the input patch under output pixel `row`, 0 in padding. */
export function im2col(g: ConvGeometry, x: Float32Array, row0: number, row1: number, cols: Float32Array): void {
  const pixels = g.outHeight * g.outWidth;
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  for (let row = row0; row < row1; row++) {
    const n = Math.floor(row / pixels);
    const pixel = row % pixels;
    const top = Math.floor(pixel / g.outWidth) * g.strideHeight - g.padTop;
    const left = (pixel % g.outWidth) * g.strideWidth - g.padLeft;
    let dst = (row - row0) * k;
    for (let fh = 0; fh < g.filterHeight; fh++) {
      const ih = top + fh;
      for (let fw = 0; fw < g.filterWidth; fw++, dst += g.inChannels) {
        const iw = left + fw;
        if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) {
          cols.fill(0, dst, dst + g.inChannels);
        } else {
          const src = ((n * g.inHeight + ih) * g.inWidth + iw) * g.inChannels;
          cols.set(x.subarray(src, src + g.inChannels), dst);
        }
      }
    }
  }
}

/** dw[k, o] = sum over output pixels of cols[pixel, k] * dy[pixel, o], accumulated in float64. */
export function conv2DBackpropFilterPortable(g: ConvGeometry, x: Float32Array, dy: Float32Array): Float32Array {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const outC = g.outChannels;
  const rows = g.batch * g.outHeight * g.outWidth;
  const rowsPerSlice = Math.max(1, Math.floor(COLUMN_BUDGET / k));
  const cols = new Float32Array(Math.min(rows, rowsPerSlice) * k);
  const dw = new Float64Array(k * outC);
  for (let row0 = 0; row0 < rows; row0 += rowsPerSlice) {
    const row1 = Math.min(rows, row0 + rowsPerSlice);
    im2col(g, x, row0, row1, cols);
    for (let k0 = 0; k0 < k; k0 += FILTER_ROW_BLOCK) {
      const k1 = Math.min(k, k0 + FILTER_ROW_BLOCK);
      for (let row = row0; row < row1; row++) {
        const dyRow = row * outC;
        const colRow = (row - row0) * k;
        for (let kk = k0; kk < k1; kk++) {
          const a = cols[colRow + kk];
          const dwRow = kk * outC;
          for (let o = 0; o < outC; o++) dw[dwRow + o] += a * dy[dyRow + o];
        }
      }
    }
  }
  return Float32Array.from(dw);
}

export function makePortableConv2DBackpropFilter(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const operands = backpropFilterOperands(args);
    if (!operands) return fallback(args);
    const { g, x, dy, backend } = operands;
    return makeFloat32(backend, filterShape(g), conv2DBackpropFilterPortable(g, x, dy));
  };
}

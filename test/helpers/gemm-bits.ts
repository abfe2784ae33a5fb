// Test helper, run as a child process under a given GANC_THREADS: prints one line per gemm shape, the
// shape and a hash of C's bits, for products that take each of the native gemm's partitions (thin
// products split by rows, one row block split by columns, row blocks over threads, batches of small ones).
import { createHash } from 'node:crypto';
import { loadNativeKernels } from '../../src/runtime/kernels/native.js';
import { randomValues } from '../runtime/kernels/compare.js';

export const GEMM_BITS_SHAPES: [transA: boolean, transB: boolean, m: number, n: number, k: number, batch: number][] = [
  [false, true, 64, 6272, 1, 1], // depth 1 (the DCGAN dense layer's input gradient of a 1-column product)
  [true, false, 6272, 1, 64, 1], // one column from a transposed A
  [false, false, 67, 1, 6272, 1], // one column from rows, with a tail of 3 rows
  [false, true, 64, 128, 6272, 1], // one row block, split by columns
  [false, false, 64, 6272, 128, 1], // one row block, more columns than a chunk
  [true, false, 128, 6272, 64, 1], // a few rows of a shallow product split by columns (more than one row block)
  [true, false, 600, 1100, 64, 1], // row blocks
  [false, false, 250, 300, 700, 1],
  [false, false, 33, 47, 129, 16], // a batch of small products
];

const loaded = loadNativeKernels();
if ('error' in loaded) throw new Error(loaded.error);
const native = loaded.kernels;
native.setBlas('ganc');
for (const [transA, transB, m, n, k, batch] of GEMM_BITS_SHAPES) {
  const c = new Float32Array(m * n * batch);
  native.gemm(transA, transB, m, n, k, randomValues(m * k * batch, m + n), randomValues(k * n, k), c, batch, batch, 1);
  console.log(`${m}x${n}x${k}x${batch} ${createHash('sha256').update(new Uint8Array(c.buffer)).digest('hex')}`);
}

// Test helper, run as `node --expose-gc --import tsx deferred-gc.ts` with 2 threads: deferred native kernels whose
// input arrays are unreachable from JavaScript as soon as the call returns, queued behind a slow product, with a
// full garbage collection after each call and fresh arrays of another value allocated (where freed inputs would
// be reused). Prints "ok" when every output is right after join(), else the first wrong element.
import { loadNativeKernels } from '../../src/runtime/kernels/native.js';

const loaded = loadNativeKernels();
if ('error' in loaded) throw new Error(loaded.error);
const native = loaded.kernels;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const neg = native.opCodes().unary.Neg;
const SIZE = 1 << 20;

native.setDeferred(true);
const n = 2400;
const product = new Float32Array(n * n);
native.gemm(false, false, n, n, n, new Float32Array(n * n).fill(1), new Float32Array(n * n).fill(1), product, 1, 1, 1);
const outputs: Float32Array[] = [];
const decoys: Float32Array[] = [];
for (let call = 0; call < 24; call++) {
  const out = new Float32Array(SIZE);
  native.unary(neg, new Float32Array(SIZE).fill(call + 1), out, 0);
  outputs.push(out);
  gc();
  decoys.push(new Float32Array(SIZE).fill(12345));
}
native.join();
native.setDeferred(false);
const wrong = outputs.flatMap((out, call) => {
  const j = out.findIndex((v) => v !== -(call + 1));
  return j < 0 ? [] : [`call ${call} element ${j}: ${out[j]}`];
});
if (product[0] !== n) wrong.push(`product ${product[0]}`);
console.log(wrong.length ? wrong[0] : 'ok');

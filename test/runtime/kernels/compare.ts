// Runs the same computation on tfjs's stock 'cpu' backend (the reference) and on 'ganc', and measures
// their difference as max|ganc - cpu| / max|cpu| over all elements (relative to the reference's scale).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export const TOLERANCE = 1e-5;

/** Deterministic uniform values in [-1, 1) (a 32-bit LCG), so a failure can be replayed. */
export function randomValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  if (Number.isNaN(maxDiff)) return Infinity;
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** fn's output tensors (as arrays, with shapes) computed on the named backend. */
export async function onBackend(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(fn);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const result = list.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(list);
  return result;
}

/** The largest relative error over fn's outputs, ganc against cpu; throws if shapes differ. */
export async function gancVersusCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const expected = await onBackend('cpu', fn);
  const actual = await onBackend('ganc', fn);
  let worst = 0;
  expected.forEach((ref, i) => {
    if (ref.shape.join() !== actual[i].shape.join()) throw new Error(`shape ${actual[i].shape} != reference ${ref.shape}`);
    worst = Math.max(worst, relativeError(actual[i].values, ref.values));
  });
  return worst;
}

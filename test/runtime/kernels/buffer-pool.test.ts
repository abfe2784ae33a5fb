// The ganc backend reuses its native kernels' output arrays once their tensors are gone, and never an
// array that anyone else may still read: values read out with dataSync, or aliased by a view.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { BufferPool } from '../../../src/runtime/kernels/buffer-pool.js';
import { GancBackend } from '../../../src/runtime/kernels/ganc-backend.js';

const valuesOf = (t: tf.Tensor): unknown => (tf.backend() as GancBackend).data.get(t.dataId).values;

describe('output buffer reuse on the ganc backend', () => {
  beforeAll(async () => {
    const info = await registerGancBackend({ route: 'native' });
    expect(info.route).toBe('native');
    await tf.setBackend('ganc');
    expect(tf.backend()).toBeInstanceOf(GancBackend);
  });

  it('gives a disposed output array to the next output of that size', () => {
    const a = tf.fill([64, 33], 2);
    const b = tf.fill([64, 33], 3);
    const first = tf.mul(a, b);
    const firstValues = valuesOf(first);
    first.dispose();
    const second = tf.add(a, b);
    expect(valuesOf(second)).toBe(firstValues);
    expect(Array.from(second.dataSync().slice(0, 3))).toEqual([5, 5, 5]);
    tf.dispose([a, b, second]);
  });

  // Reused arrays hold stale values: every native kernel must write every element of its output.
  it('every native kernel overwrites a reused array completely (stale NaNs do not leak through)', async () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const m = tf.randomNormal([5, 7], 0, 1, 'float32', 4);
    const n = tf.randomNormal([7, 9], 0, 1, 'float32', 5);
    const convAttrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
    const cases: [string, () => tf.Tensor][] = [
      ['conv2d', () => tf.conv2d(x, filter, 2, 'same')],
      ['conv2dTranspose', () => tf.conv2dTranspose(dy, filter, [2, 6, 6, 3], 2, 'same')],
      ['conv2dBackpropFilter', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...convAttrs, filterShape: filter.shape } as never) as tf.Tensor],
      ['matMul', () => tf.matMul(m, n)],
      ['sum', () => tf.sum(x, [0, 1])],
      ['add', () => tf.add(m, tf.ones([7]))],
    ];
    for (const [name, run] of cases) {
      await tf.setBackend('cpu');
      const reference = run().dataSync();
      await tf.setBackend('ganc');
      const poison = tf.div(tf.zeros([reference.length]), tf.zeros([reference.length]));
      const poisoned = valuesOf(poison);
      poison.dispose();
      const result = run();
      expect(valuesOf(result), name).toBe(poisoned);
      const values = result.dataSync();
      for (let i = 0; i < reference.length; i++) expect(values[i], `${name}[${i}]`).toBeCloseTo(reference[i], 4);
    }
  });

  it('never reuses values that were read out', () => {
    const a = tf.fill([50, 40], 1.5);
    const product = tf.mul(a, a);
    const read = product.dataSync();
    product.dispose();
    const later = tf.add(a, a);
    expect(valuesOf(later)).not.toBe(read);
    expect(read.every((v) => v === 2.25)).toBe(true);
    tf.dispose([a, later]);
  });

  it('never reuses an array that a view of it (a contiguous slice) still reads', () => {
    const a = tf.fill([30, 20], 4);
    const product = tf.mul(a, a);
    const rows = tf.slice(product, [10, 0], [5, 20]);
    product.dispose();
    tf.dispose([tf.add(a, a), tf.mul(a, tf.scalar(3)), tf.sub(a, a)]);
    expect(Array.from(rows.dataSync()).every((v) => v === 16)).toBe(true);
    tf.dispose([a, rows]);
  });

  it('reuses nothing while a reshaped alias keeps the data alive', () => {
    const a = tf.fill([12, 10], 2);
    const product = tf.mul(a, a);
    const reshaped = tf.reshape(product, [120]);
    product.dispose();
    const other = tf.add(a, a);
    expect(valuesOf(other)).not.toBe(valuesOf(reshaped));
    expect(Array.from(reshaped.dataSync()).every((v) => v === 4)).toBe(true);
    tf.dispose([a, reshaped, other]);
  });
});

// The pool keeps free arrays up to its floor or up to the most bytes its arrays held in use at once: a step
// whose tensors peak above the floor gets every one of them back the next time, and no more is kept.
describe('BufferPool capacity', () => {
  const MB = 1 << 20;
  const floats = (mb: number) => (mb * MB) / 4;
  /** Takes arrays of these sizes, as the outputs of live tensors, and returns them. */
  const inUse = (pool: BufferPool, sizesMb: number[]) =>
    sizesMb.map((mb) => {
      const a = pool.take(floats(mb));
      pool.registered(a);
      return a;
    });

  it('keeps every array of a step that peaks above the floor, and reuses them all', () => {
    const pool = new BufferPool(1 * MB);
    const step = inUse(pool, [1, 1, 0.5, 0.5]);
    for (const a of step) pool.released(a);
    expect(pool.capacityBytes).toBe(3 * MB);
    expect(pool.freeBytes).toBe(3 * MB);
    const next = inUse(pool, [1, 1, 0.5, 0.5]);
    expect(new Set(next)).toEqual(new Set(step));
    expect(pool.freeBytes).toBe(0);
  });

  it('keeps no more than the floor or the peak in use', () => {
    const pool = new BufferPool(1 * MB);
    const first = inUse(pool, [0.5, 0.5]);
    for (const a of first) pool.released(a);
    expect(pool.freeBytes).toBe(1 * MB);
    // Arrays of another size, one at a time: the peak stays 1 MB, so the pool keeps none of them.
    for (let i = 0; i < 3; i++) {
      const [a] = inUse(pool, [0.25]);
      pool.released(a);
      expect(pool.freeBytes).toBeLessThanOrEqual(pool.capacityBytes);
    }
    expect(pool.capacityBytes).toBe(1 * MB);
    expect(pool.freeBytes).toBe(1 * MB);
  });

  it('does not count a read-out array as free once its tensor is gone', () => {
    const pool = new BufferPool(1 * MB);
    const [a] = inUse(pool, [0.5]);
    pool.escaped(a);
    pool.released(a);
    expect(pool.freeBytes).toBe(0);
    expect(pool.take(floats(0.5))).not.toBe(a);
  });
});

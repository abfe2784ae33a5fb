// The native route must really run the addon: a silent fallback to tfjs's cpu kernels would pass
// every accuracy test while being 100x slower.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { loadNativeKernels, type NativeKernels } from '../../../src/runtime/kernels/native.js';

describe('native route', () => {
  let native: NativeKernels;

  beforeAll(async () => {
    const info = await registerGancBackend({ route: 'native' });
    expect(info).toMatchObject({ route: 'native' });
    expect(['openblas', 'ganc']).toContain(info.blas);
    const loaded = loadNativeKernels();
    if ('error' in loaded) throw new Error(loaded.error);
    native = loaded.kernels;
    await tf.setBackend('ganc');
  });

  afterEach(() => vi.restoreAllMocks());

  it('sends MatMul, the convolutions, elementwise ops and reductions to the addon', () => {
    const calls = (['gemm', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'binary', 'compare', 'unary', 'select', 'reduceSum'] as const).map(
      (name) => [name, vi.spyOn(native, name)] as const,
    );
    tf.tidy(() => {
      const x = tf.ones([2, 8, 8, 3]) as tf.Tensor4D;
      const filter = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
      const y = tf.conv2d(x, filter, 2, 'same');
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
      tf.engine().runKernel('Conv2DBackpropInput', { dy: y, filter }, { ...attrs, inputShape: x.shape } as never);
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { ...attrs, filterShape: filter.shape } as never);
      tf.matMul(tf.ones([3, 4]), tf.ones([4, 5]));
      tf.where(tf.greater(tf.add(y, 1), 0), tf.relu(y), y);
      tf.sum(y, [0, 1, 2]);
    });
    for (const [name, spy] of calls) expect(spy, name).toHaveBeenCalled();
  });

  it('falls back to the cpu kernel for what the addon does not handle (int32 matMul, dilation)', () => {
    const spy = vi.spyOn(native, 'conv2d');
    tf.tidy(() => {
      expect(Array.from(tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32')).dataSync())).toEqual([11]);
      tf.conv2d(tf.ones([1, 7, 7, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same', 'NHWC', 2);
    });
    expect(spy).not.toHaveBeenCalled();
  });

  // Explicit route: CI also runs this file with GANC_KERNELS=portable, where the default route differs.
  it('registering the same route again is a no-op that reports the same route', async () => {
    const first = await registerGancBackend({ route: 'native' });
    expect(await registerGancBackend({ route: 'native' })).toBe(first);
  });
});

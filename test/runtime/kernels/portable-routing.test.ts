// The portable route must really run tfjs-wasm's kernels for matMul, the convolutions, arithmetic and sums: a silent
// fallback to tfjs's cpu kernels would pass every accuracy test while being 20-40x slower.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';

describe('portable route', () => {
  beforeAll(async () => {
    const info = await registerGancBackend({ route: 'portable' });
    expect(info).toMatchObject({ route: 'portable' });
    expect(info.notice).toContain('WebAssembly kernels');
    await tf.setBackend('ganc');
  });

  afterEach(() => vi.restoreAllMocks());

  it('sends MatMul, Conv2D, both conv backprops (as matMuls), arithmetic and reductions to the WebAssembly kernels', () => {
    const spies = ['BatchMatMul', 'Conv2D', 'Multiply', 'Sum'].map((name) => {
      const config = tf.getKernel(name, 'wasm');
      if (!config) throw new Error(`no wasm ${name}`);
      return [name, vi.spyOn(config, 'kernelFunc')] as const;
    });
    const calls = () => Object.fromEntries(spies.map(([name, spy]) => [name, spy.mock.calls.length]));
    tf.tidy(() => {
      const x = tf.ones([2, 8, 8, 3]) as tf.Tensor4D;
      const filter = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
      const y = tf.conv2d(x, filter, 2, 'same');
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
      expect(calls()).toEqual({ BatchMatMul: 0, Conv2D: 1, Multiply: 0, Sum: 0 });
      // Both backprops are one wasm matMul between im2col / col2im.
      tf.engine().runKernel('Conv2DBackpropInput', { dy: y, filter }, { ...attrs, inputShape: x.shape } as never);
      expect(calls()).toEqual({ BatchMatMul: 1, Conv2D: 1, Multiply: 0, Sum: 0 });
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { ...attrs, filterShape: filter.shape } as never);
      expect(calls()).toEqual({ BatchMatMul: 2, Conv2D: 1, Multiply: 0, Sum: 0 });
      tf.matMul(tf.ones([3, 4]), tf.ones([4, 5]));
      expect(calls()).toEqual({ BatchMatMul: 3, Conv2D: 1, Multiply: 0, Sum: 0 });
      tf.sum(tf.mul(y, y), [0, 1, 2]);
      expect(calls()).toEqual({ BatchMatMul: 3, Conv2D: 1, Multiply: 1, Sum: 1 });
    });
  });
});

// GancConv2DBias (conv layers with a bias on the native route) must give the floats of
// tf.add(tf.conv2d(x, filter), bias), with or without the relu / leakyRelu that follows, and so must
// its first and second derivatives (the gradient penalty differentiates D's convolutions twice).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dWithBias } from '../../../src/runtime/autodiff/ops.js';
import { installGradientFixes } from '../../../src/runtime/autodiff/install-gradient-fixes.js';
import { CONV2D_BIAS } from '../../../src/runtime/kernels/conv2d-bias.js';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.5);
const tensor = (shape: number[], seed: number) => tf.tensor(values(tf.util.sizeFromShape(shape), seed), shape);
const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

// [x shape, filter shape, stride, pad]: the direct kernel (<= 4 input channels) and the im2col gemm.
const CASES: [number[], number[], number, 'same' | 'valid'][] = [
  [[3, 12, 12, 1], [4, 4, 1, 16], 2, 'same'],
  [[2, 9, 9, 3], [3, 3, 3, 8], 1, 'valid'],
  [[2, 8, 8, 24], [4, 4, 24, 20], 2, 'same'],
];

describe('GancConv2DBias', () => {
  beforeAll(async () => {
    await registerGancBackend({ route: 'native' });
    await tf.setBackend('ganc');
    installGradientFixes();
  });

  it('is registered on the native route', () => {
    expect(tf.getKernel(CONV2D_BIAS, 'ganc')).toBeDefined();
  });

  const ACTIVATIONS = [undefined, { kind: 'lrelu' as const, alpha: 0.2 }, { kind: 'relu' as const }];
  for (const [xShape, fShape, stride, pad] of CASES) for (const activation of ACTIVATIONS) {
    it(`x ${xShape} filter ${fShape} stride ${stride} ${pad} ${activation?.kind ?? 'no activation'}: same bits as conv2d + add, to the second derivative`, () => {
      const x = tensor(xShape, 1) as tf.Tensor4D;
      const filter = tensor(fShape, 2) as tf.Tensor4D;
      const bias = tensor([fShape[3]], 3) as tf.Tensor1D;
      const fused = (a: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor) => conv2dWithBias(a, f, b, stride, pad, activation);
      const plain = (a: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor) => {
        const z = tf.add(tf.conv2d(a, f, stride, pad), b) as tf.Tensor4D;
        return activation === undefined ? z : activation.kind === 'relu' ? tf.relu(z) : tf.leakyRelu(z, activation.alpha);
      };
      // A leaky-relu D of one layer and a gradient penalty on its input: first and second order.
      const results = (conv: typeof fused) => {
        const out = conv(x, filter, bias);
        const d = (a: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(conv(a, f, b), 0.2), tf.cos(tf.reshape(tf.range(0, out.size), out.shape))));
        const first = tf.grads((a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => d(a as tf.Tensor4D, f as tf.Tensor4D, b))([x, filter, bias]);
        const penalty = (a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => {
          const dx = tf.grad((xi: tf.Tensor) => d(xi as tf.Tensor4D, f as tf.Tensor4D, b))(a);
          return tf.sum(tf.square(dx));
        };
        const second = tf.grads(penalty)([x, filter, bias]);
        return [out, ...first, ...second].map(bits);
      };
      expect(results(fused)).toEqual(results(plain));
    });
  }
});

// Gradients through the ganc backend equal those on tfjs's cpu backend: a small DCGAN-MNIST-shaped
// discriminator and generator, first derivatives and a gradient-penalty (double backprop) term.
// Measure: max|ganc - cpu| / max|cpu| per gradient tensor, below 1e-5.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { onBackend, randomValues, relativeError, TOLERANCE } from './compare.js';

const BATCH = 3;

function discriminatorParams() {
  return {
    w1: tf.tensor4d(randomValues(4 * 4 * 1 * 8, 1), [4, 4, 1, 8]),
    w2: tf.tensor4d(randomValues(4 * 4 * 8 * 16, 2).map((v) => v * 0.2), [4, 4, 8, 16]),
    w3: tf.tensor2d(randomValues(7 * 7 * 16, 3).map((v) => v * 0.1), [7 * 7 * 16, 1]),
    b3: tf.tensor1d([0.3]),
  };
}

type Params = ReturnType<typeof discriminatorParams>;

function discriminator(x: tf.Tensor, p: Params): tf.Tensor {
  const h1 = tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, p.w1, 2, 'same'), 0.1);
  const h2 = tf.leakyRelu(tf.conv2d(h1, p.w2, 2, 'same'), 0.1);
  return tf.add(tf.matMul(tf.reshape(h2, [x.shape[0], -1]), p.w3), p.b3);
}

function generatorOutput(z: tf.Tensor2D, dense: tf.Tensor2D, d1: tf.Tensor4D, d2: tf.Tensor4D): tf.Tensor4D {
  const h = tf.relu(tf.reshape(tf.matMul(z, dense), [BATCH, 7, 7, 16])) as tf.Tensor4D;
  const up = tf.relu(tf.conv2dTranspose(h, d1, [BATCH, 14, 14, 8], 2, 'same'));
  return tf.tanh(tf.conv2dTranspose(up, d2, [BATCH, 28, 28, 1], 2, 'same'));
}

const realImages = () => tf.tensor4d(randomValues(BATCH * 28 * 28, 7), [BATCH, 28, 28, 1]);

async function expectSameGradients(fn: () => tf.Tensor[]): Promise<void> {
  const expected = await onBackend('cpu', fn);
  const actual = await onBackend('ganc', fn);
  expect(actual.map((g) => g.shape)).toEqual(expected.map((g) => g.shape));
  const errors = expected.map((ref, i) => relativeError(actual[i].values, ref.values));
  for (const error of errors) expect(error).toBeLessThan(TOLERANCE);
}

describe('gradients through the ganc backend equal the cpu backend', () => {
  beforeAll(async () => {
    installGradientFixes();
    await registerGancBackend();
  });

  it('discriminator loss: gradients of every weight and of the input', async () => {
    await expectSameGradients(() => {
      const p = discriminatorParams();
      const loss = (x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor, b3: tf.Tensor) =>
        tf.mean(discriminator(x, { w1, w2, w3, b3 } as Params));
      return tf.grads(loss)([realImages(), p.w1, p.w2, p.w3, p.b3]);
    });
  });

  it('generator through two conv2dTranspose layers', async () => {
    await expectSameGradients(() => {
      const z = tf.tensor2d(randomValues(BATCH * 10, 11), [BATCH, 10]);
      const dense = tf.tensor2d(randomValues(10 * 7 * 7 * 16, 12), [10, 7 * 7 * 16]);
      const d1 = tf.tensor4d(randomValues(4 * 4 * 8 * 16, 13), [4, 4, 8, 16]);
      const d2 = tf.tensor4d(randomValues(4 * 4 * 1 * 8, 14), [4, 4, 1, 8]);
      const p = discriminatorParams();
      const loss = (dense: tf.Tensor, d1: tf.Tensor, d2: tf.Tensor) =>
        tf.neg(tf.mean(discriminator(generatorOutput(z, dense as tf.Tensor2D, d1 as tf.Tensor4D, d2 as tf.Tensor4D), p)));
      return tf.grads(loss)([dense, d1, d2]);
    });
  });

  it('gradient penalty: second derivatives through the conv backprop kernels', async () => {
    await expectSameGradients(() => {
      const p = discriminatorParams();
      const penalty = (w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor) => {
        const params = { ...p, w1, w2, w3 } as Params;
        const gradX = tf.grad((x: tf.Tensor) => tf.sum(discriminator(x, params)))(realImages());
        const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(gradX, [BATCH, -1])), 1), 1e-12));
        return tf.mean(tf.square(tf.sub(norms, 1)));
      };
      return tf.grads(penalty)([p.w1, p.w2, p.w3]);
    });
  });
});

// Hessian-vector products through dense, conv2d and conv2dTranspose layers (NHWC) vs central
// differences of the first-order gradient, over strides 1/2, 'same'/'valid', kernels 3/4, batch 1/3.
// These exercise the gradients of Conv2DBackpropInput and Conv2DBackpropFilter.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { Rng } from '../../../src/runtime/rng.js';
import { expectHessianVectorProductMatches, randomDirections, randomNormal } from './numeric-check.js';
import { backendHasKernel, TEST_BACKEND, useTestBackend } from './test-backend.js';

beforeAll(async () => {
  await useTestBackend();
  installGradientFixes();
});

/** A smooth scalar read-out, so the loss has non-zero second derivatives in every layer input. */
function readOut(weights: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(weights, tf.sin(y))) as tf.Scalar;
}

describe('dense layer: x·W + b', () => {
  for (const batch of [1, 3]) {
    it(`batch ${batch}, 7 → 5`, async () => {
      const rng = Rng.fromSeed(100 + batch);
      const xs = [randomNormal(rng, [batch, 7]), randomNormal(rng, [7, 5], 0.5), randomNormal(rng, [5])];
      const weights = randomNormal(rng, [batch, 5]);
      const loss = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => readOut(weights, tf.add(tf.matMul(x, w), b));
      await expectHessianVectorProductMatches(loss, xs, randomDirections(rng, xs), `dense batch ${batch}`);
    });
  }
});

describe('matMul with transposed operands (the backward pass of one is the forward of another)', () => {
  for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false], [true, true]]) {
    it(`transposeA ${transposeA}, transposeB ${transposeB}`, async () => {
      const rng = Rng.fromSeed(200 + Number(transposeA) * 2 + Number(transposeB));
      const a = randomNormal(rng, transposeA ? [7, 3] : [3, 7]);
      const b = randomNormal(rng, transposeB ? [5, 7] : [7, 5]);
      const weights = randomNormal(rng, [3, 5]);
      const loss = (p: tf.Tensor, q: tf.Tensor) => readOut(weights, tf.matMul(p, q, transposeA, transposeB));
      await expectHessianVectorProductMatches(loss, [a, b], randomDirections(rng, [a, b]), 'matMul');
    });
  }
});

// wasm has no Conv2DBackpropFilter kernel: the filter gradient cannot run there (ganc's own
// kernels provide it); these cases are skipped on such a backend rather than failing.
const convolutionRuns = () => backendHasKernel(tf.Conv2DBackpropFilter);

const LAYOUTS = [1, 2].flatMap((stride) =>
  (['same', 'valid'] as const).flatMap((pad) => [3, 4].flatMap((kernel) => [1, 3].map((batch) => ({ stride, pad, kernel, batch })))),
);

describe(`conv2d (backend ${TEST_BACKEND})`, () => {
  for (const { stride, pad, kernel, batch } of LAYOUTS) {
    it(`stride ${stride}, ${pad}, kernel ${kernel}, batch ${batch}, input 7×7×2 → 3 channels`, async (context) => {
      if (!convolutionRuns()) context.skip();
      const rng = Rng.fromSeed(stride * 1000 + kernel * 100 + batch * 10 + (pad === 'same' ? 1 : 0));
      const x = randomNormal(rng, [batch, 7, 7, 2]);
      const filter = randomNormal(rng, [kernel, kernel, 2, 3], 0.4);
      const out = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, pad);
      const weights = randomNormal(rng, out.shape);
      const loss = (input: tf.Tensor, w: tf.Tensor) => readOut(weights, tf.conv2d(input as tf.Tensor4D, w as tf.Tensor4D, stride, pad));
      await expectHessianVectorProductMatches(loss, [x, filter], randomDirections(rng, [x, filter]), 'conv2d');
    });
  }
});

describe(`conv2dTranspose (backend ${TEST_BACKEND})`, () => {
  for (const { stride, pad, kernel, batch } of LAYOUTS) {
    it(`stride ${stride}, ${pad}, kernel ${kernel}, batch ${batch}, input 3×3×3 → 2 channels`, async (context) => {
      if (!convolutionRuns()) context.skip();
      const rng = Rng.fromSeed(50_000 + stride * 1000 + kernel * 100 + batch * 10 + (pad === 'same' ? 1 : 0));
      const side = pad === 'same' ? 3 * stride : (3 - 1) * stride + kernel;
      const outputShape: [number, number, number, number] = [batch, side, side, 2];
      const x = randomNormal(rng, [batch, 3, 3, 3]);
      const filter = randomNormal(rng, [kernel, kernel, 2, 3], 0.4);
      const weights = randomNormal(rng, outputShape);
      const loss = (input: tf.Tensor, w: tf.Tensor) =>
        readOut(weights, tf.conv2dTranspose(input as tf.Tensor4D, w as tf.Tensor4D, outputShape, stride, pad));
      await expectHessianVectorProductMatches(loss, [x, filter], randomDirections(rng, [x, filter]), 'conv2dTranspose');
    });
  }
});

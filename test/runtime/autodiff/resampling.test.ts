// The resampling layers of residual networks (upsample, avgpool, sumpool; src/runtime/graph/network.ts) are
// built from reshapes, broadcasts and sums, so their derivatives of every order come from the autodiff
// table. Here: their values against tfjs's own nearest-neighbour resize and average pooling, Hessian-vector
// products against central differences, and a gradient penalty's parameter gradient (third order in the ops)
// through all three against central differences of the penalty.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradOfSum, installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { avgPool, upsample } from '../../../src/runtime/graph/network.js';
import { Rng } from '../../../src/runtime/rng.js';
import { perSampleNorm } from '../../../src/terms/tensor-ops.js';
import {
  centralDifference, evaluate, expectHessianVectorProductMatches, expectVectorsClose, randomDirections, randomNormal, read,
} from './numeric-check.js';
import { backendHasKernel, TEST_BACKEND, useTestBackend } from './test-backend.js';

beforeAll(async () => {
  await useTestBackend();
  installGradientFixes();
});

const sumPool = (x: tf.Tensor): tf.Tensor => tf.sum(x, [1, 2]);

/** A smooth read-out, so the loss has non-zero second derivatives in the layer's input. */
const readOut = (weights: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(weights, tf.sin(y))) as tf.Scalar;

describe(`resampling layers (backend ${TEST_BACKEND})`, () => {
  it('upsample repeats each pixel factor × factor times (tfjs\'s nearest-neighbour resize)', async () => {
    const x = randomNormal(Rng.fromSeed(1), [2, 3, 5, 4]);
    for (const factor of [2, 3]) {
      const ours = await read([upsample(x, factor)]);
      const reference = await read([tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [3 * factor, 5 * factor])]);
      expect(ours).toEqual(reference);
    }
    expect(upsample(x, 2).shape).toEqual([2, 6, 10, 4]);
  });

  it('avgpool averages non-overlapping windows (tfjs\'s average pooling)', async () => {
    const x = randomNormal(Rng.fromSeed(2), [2, 6, 4, 3]);
    const ours = await read([avgPool(x, 2)]);
    const reference = await read([tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')]);
    expectVectorsClose(ours, reference, 'avgpool', 1e-6);
    expect(avgPool(x, 2).shape).toEqual([2, 3, 2, 3]);
  });

  for (const [name, op, shape] of [
    ['upsample 2', (x: tf.Tensor) => upsample(x, 2), [2, 3, 3, 2]],
    ['avgpool 2', (x: tf.Tensor) => avgPool(x, 2), [2, 4, 6, 2]],
    ['sumpool', sumPool, [2, 3, 4, 2]],
  ] as const) {
    it(`${name}: Hessian-vector products match central differences`, async () => {
      const rng = Rng.fromSeed(name.length * 17);
      const x = randomNormal(rng, [...shape]);
      const weights = randomNormal(rng, op(x).shape);
      await expectHessianVectorProductMatches((input) => readOut(weights, op(input)), [x], randomDirections(rng, [x]), name);
    });
  }

  // D(x) = Σ w · tanh(sumpool(avgpool(conv(upsample(x))))): smooth, so central differences need no care at kinks.
  it('a gradient penalty through upsample, avgpool and sumpool: its parameter gradient matches central differences', async (context) => {
    if (!backendHasKernel(tf.Conv2DBackpropFilter)) context.skip();
    const rng = Rng.fromSeed(7);
    const x = randomNormal(rng, [3, 4, 4, 2]);
    const params = [randomNormal(rng, [3, 3, 2, 3], 0.4), randomNormal(rng, [3, 1], 0.5)];
    const penalty = (kernel: tf.Tensor, dense: tf.Tensor): tf.Scalar => {
      const D = (input: tf.Tensor): tf.Tensor => {
        const h = tf.conv2d(upsample(input, 2) as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
        return tf.matMul(tf.tanh(sumPool(avgPool(h, 2))), dense);
      };
      return tf.mean(tf.square(tf.sub(perSampleNorm(gradOfSum(D, x)), 1))) as tf.Scalar;
    };
    const directions = randomDirections(rng, params);
    const analytic = await evaluate(() => {
      const grads = tf.grads(penalty)(params);
      return [tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, directions[i]))))];
    });
    const numeric = await centralDifference((t) => [penalty(...(params.map((p, i) => tf.add(p, tf.mul(directions[i], t))) as [tf.Tensor, tf.Tensor]))], 1e-3);
    expectVectorsClose(analytic, numeric, 'gp through resampling');
    expect(Math.abs(analytic[0])).toBeGreaterThan(1e-3);
  });
});

// The tfjs-core 4.22 defects ganc's gradient table exists for, reproduced. The tfjs rules below are
// verbatim copies of dist/gradients/*_grad.js (the Node entry does not register them, see
// gradient-rules.ts); each test swaps one in, or removes one of ganc's rules, and shows the failure.
// If one of these starts failing after a tfjs upgrade, tfjs fixed the defect: re-check the rule.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { Rng } from '../../../src/runtime/rng.js';
import { evaluate, expectHessianVectorProductMatches, randomDirections, randomNormal } from './numeric-check.js';
import { backendHasKernel, useTestBackend } from './test-backend.js';

let gradientsBeforeInstall: { sum: boolean; tanh: boolean };

beforeAll(async () => {
  await useTestBackend();
  gradientsBeforeInstall = { sum: tf.getGradient(tf.Sum) != null, tanh: tf.getGradient(tf.Tanh) != null };
  installGradientFixes();
});

/** Puts ganc's rules back after a test replaced or removed one (the registry is process-global). */
afterEach(installGradientFixes);

/** tfjs's rules for ops whose backward pass reuses the saved output. */
const TFJS_SAVED_OUTPUT_RULES: Record<string, tf.GradConfig> = {
  tanh: {
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy as tf.Tensor) }),
  },
  sigmoid: {
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(tf.scalar(1), y))) }),
  },
  exp: {
    kernelName: tf.Exp,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, y) }),
  },
};

const secondDerivative = async (f: (x: tf.Tensor) => tf.Tensor, at: number) =>
  (await evaluate(() => [tf.grad(tf.grad((x: tf.Tensor) => tf.sum(f(x))))(tf.tensor1d([at]))]))[0];

describe('tfjs-core 4.22 defects (reproduced; ganc replaces each rule involved)', () => {
  it("Node's entry point registers no gradients at all (only the @tensorflow/tfjs union package does)", async () => {
    expect(gradientsBeforeInstall).toEqual({ sum: false, tanh: false });
  });

  it('tfjs#3252: a rule reusing the saved output drops terms — x·tanh(x) at 0.5 gives 1.5729, not 1.2095', async () => {
    expect(await secondDerivative((x) => tf.mul(x, tf.tanh(x)), 0.5)).toBeCloseTo(1.2095, 4);
    tf.registerGradient(TFJS_SAVED_OUTPUT_RULES.tanh);
    expect(await secondDerivative((x) => tf.mul(x, tf.tanh(x)), 0.5)).toBeCloseTo(1.5729, 4);
  });

  it('the same for sigmoid and exp: their second derivative comes out 0', async () => {
    const s = 1 / (1 + Math.exp(-1));
    expect(await secondDerivative(tf.sigmoid, 1)).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 5);
    expect(await secondDerivative(tf.exp, 1)).toBeCloseTo(Math.exp(1), 5);
    tf.registerGradient(TFJS_SAVED_OUTPUT_RULES.sigmoid);
    tf.registerGradient(TFJS_SAVED_OUTPUT_RULES.exp);
    expect(await secondDerivative(tf.sigmoid, 1)).toBe(0);
    expect(await secondDerivative(tf.exp, 1)).toBe(0);
  });

  it("the finite-difference check used throughout this suite catches such a rule (tanh's Hessian-vector product)", async () => {
    const rng = Rng.fromSeed(3);
    const x = randomNormal(rng, [3, 5]);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.tanh(t))) as tf.Scalar;
    const v = randomDirections(rng, [x]);
    await expectHessianVectorProductMatches(loss, [x], v, 'ganc tanh');
    tf.registerGradient(TFJS_SAVED_OUTPUT_RULES.tanh);
    await expect(expectHessianVectorProductMatches(loss, [x], v, 'tfjs tanh')).rejects.toThrow(/tfjs tanh/);
  });

  it('without a rule for Greater, prelu (whose derivative masks with x > 0) fails under a second derivative', async () => {
    const preluSquared = (x: tf.Tensor) => tf.square(tf.prelu(x, tf.scalar(0.2)));
    expect(await secondDerivative(preluSquared, -0.5)).toBeCloseTo(2 * 0.2 * 0.2, 6);
    tf.unregisterGradient(tf.Greater);
    await expect(secondDerivative(preluSquared, -0.5)).rejects.toThrow(/gradient function not found for Greater/);
  });

  it('without a rule for Less, maximum fails under a second derivative', async () => {
    expect(await secondDerivative((x) => tf.square(tf.maximum(x, tf.mul(x, 0.2))), 0.5)).toBeCloseTo(2, 6);
    tf.unregisterGradient(tf.Less);
    const lreluByMaximum = (x: tf.Tensor) => tf.square(tf.maximum(x, tf.mul(x, 0.2)));
    await expect(secondDerivative(lreluByMaximum, 0.5)).rejects.toThrow(/gradient function not found for Less/);
  });

  it('without a rule for Conv2DBackpropFilter, second derivatives through conv weights fail', async (context) => {
    if (!backendHasKernel(tf.Conv2DBackpropFilter)) context.skip();
    const rng = Rng.fromSeed(5);
    const x = randomNormal(rng, [1, 5, 5, 2]) as tf.Tensor4D;
    const w = randomNormal(rng, [3, 3, 2, 2]);
    const squaredConv = (filter: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same')));
    expect(() => tf.grad(tf.grad(squaredConv))(w)).not.toThrow();
    tf.unregisterGradient(tf.Conv2DBackpropFilter);
    expect(() => tf.grad(tf.grad(squaredConv))(w)).toThrow(/gradient function not found for Conv2DBackpropFilter/);
  });

  it('tf.batchNorm (FusedBatchNorm) has no rule in ganc: use batchNormTrain, built from primitives', async () => {
    const x = tf.tensor2d([1, 2, 3, 5], [2, 2]);
    const fused = (t: tf.Tensor) => tf.sum(tf.batchNorm(t, tf.mean(t, 0), tf.tensor1d([1, 1]), tf.tensor1d([0, 0]), tf.tensor1d([1, 1]), 1e-3));
    expect(() => tf.grad(fused)(x)).toThrow(/gradient function not found for FusedBatchNorm/);
  });
});

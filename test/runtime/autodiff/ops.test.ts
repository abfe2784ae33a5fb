// The helpers ganc's lowering uses: perSampleNorm, batchNormTrain, gradOfSum, installGradientFixes.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, GRADIENT_RULES, gradOfSum, installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { perSampleNorm } from '../../../src/terms/tensor-ops.js';
import { Rng } from '../../../src/runtime/rng.js';
import { evaluate, expectHessianVectorProductMatches, expectVectorsClose, randomDirections, randomNormal } from './numeric-check.js';
import { useTestBackend } from './test-backend.js';

beforeAll(async () => {
  await useTestBackend();
  installGradientFixes();
});

describe('installGradientFixes', () => {
  it('registers every rule of the table, and calling it again changes nothing', async () => {
    installGradientFixes();
    for (const rule of GRADIENT_RULES) expect(tf.getGradient(rule.kernelName)).toBe(rule);
    expect(new Set(GRADIENT_RULES.map((r) => r.kernelName)).size).toBe(GRADIENT_RULES.length);
  });

  it('restores ganc\'s rules after another package registered its own', async () => {
    const foreignTanhRule: tf.GradConfig = { kernelName: tf.Tanh, gradFunc: (dy) => ({ x: () => dy as tf.Tensor }) };
    tf.registerGradient(foreignTanhRule);
    installGradientFixes();
    expect(tf.getGradient(tf.Tanh)).toBe(GRADIENT_RULES.find((rule) => rule.kernelName === tf.Tanh));
  });
});

describe('perSampleNorm', () => {
  it('is the exact L2 norm over non-batch axes, 0 for a zero sample', async () => {
    const g = tf.tensor4d([3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 2, 0], [3, 2, 2, 1]);
    expectVectorsClose(await perSampleNorm(g).data(), [5, 0, 3], 'norms', 1e-7);
  });

  it('has gradient g/‖g‖, and 0 (not NaN) at a zero sample — first and second order', async () => {
    const g = tf.tensor2d([3, 4, 0, 0], [2, 2]);
    const first = await evaluate(() => [tf.grad((t: tf.Tensor) => tf.sum(perSampleNorm(t)))(g)]);
    expectVectorsClose(first, [0.6, 0.8, 0, 0], 'd‖g‖/dg', 1e-6);
    const second = await evaluate(() => [tf.grad(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(perSampleNorm(t), tf.sum(t)))))(g)]);
    expect(second.every(Number.isFinite)).toBe(true);
  });

  it('Hessian-vector product vs finite differences, batch 3, odd sample shape', async () => {
    const rng = Rng.fromSeed(11);
    const g = randomNormal(rng, [3, 3, 5]);
    const loss = (t: tf.Tensor) => tf.sum(tf.square(tf.sub(perSampleNorm(t), 1))) as tf.Scalar;
    await expectHessianVectorProductMatches(loss, [g], randomDirections(rng, [g]), 'perSampleNorm');
  });
});

describe('batchNormTrain', () => {
  it('normalises each channel over batch and space, returns the batch statistics', async () => {
    const rng = Rng.fromSeed(12);
    const x = randomNormal(rng, [3, 5, 5, 2]);
    const { y, mean, variance } = batchNormTrain(x, tf.tensor1d([1, 1]), tf.tensor1d([0, 0]), 1e-5);
    expectVectorsClose(await tf.mean(y, [0, 1, 2]).data(), [0, 0], 'mean of y');
    expectVectorsClose(await tf.mean(tf.square(y), [0, 1, 2]).data(), [1, 1], 'variance of y', 1e-3);
    expectVectorsClose(await mean.data(), await tf.mean(x, [0, 1, 2]).data(), 'mean', 1e-6);
    expect(variance.shape).toEqual([2]);
  });

  for (const shape of [[3, 7], [3, 5, 5, 2], [1, 3, 3, 2]]) {
    it(`Hessian-vector product over (x, γ, β) vs finite differences, x [${shape}]`, async () => {
      const rng = Rng.fromSeed(shape.length * 13 + shape[0]);
      const channels = shape[shape.length - 1];
      const xs = [randomNormal(rng, shape), randomNormal(rng, [channels]), randomNormal(rng, [channels])];
      const weights = randomNormal(rng, shape);
      const loss = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
        tf.sum(tf.mul(weights, tf.sin(batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3).y))) as tf.Scalar;
      await expectHessianVectorProductMatches(loss, xs, randomDirections(rng, xs), 'batchNormTrain');
    });
  }
});

describe('gradOfSum', () => {
  it('returns per-sample input gradients that stay on the outer tape', async () => {
    // f(x) = w·Σx², so ∇ₓ Σ f = 2wx and d/dw Σ(∇ₓ Σ f)² = d/dw 4w²Σx² = 8wΣx².
    const x = tf.tensor2d([1, 2, -1, 0.5], [2, 2]);
    const w = tf.scalar(1.5);
    const f = (weight: tf.Tensor) => (input: tf.Tensor) => tf.mul(weight, tf.sum(tf.square(input), 1));
    expectVectorsClose(await gradOfSum(f(w), x).data(), [3, 6, -3, 1.5], 'inner gradient', 1e-6);
    const outer = await evaluate(() => [tf.grad((weight: tf.Tensor) => tf.sum(tf.square(gradOfSum(f(weight), x))))(w)]);
    expectVectorsClose(outer, [8 * 1.5 * 6.25], 'outer gradient', 1e-6);
  });

  it('nests: d/dw of ∇ₓ Σ (∇ₓ Σ w·sin(x))² (third order in total)', async () => {
    // ∇ₓ Σ w sin x = w cos x; Σ (w cos x)² has ∇ₓ = −2w² cos x sin x = −w² sin 2x; d/dw Σ of it = −2w Σ sin 2x.
    const x = tf.tensor1d([0.3, -1.1, 2]);
    const w = tf.scalar(0.7);
    const inner = (weight: tf.Tensor) => (input: tf.Tensor) => tf.mul(weight, tf.sin(input));
    const outer = await evaluate(() => [
      tf.grad((weight: tf.Tensor) => tf.sum(gradOfSum((input) => tf.square(gradOfSum(inner(weight), input)), x)))(w),
    ]);
    const exact = -2 * 0.7 * [0.3, -1.1, 2].reduce((s, v) => s + Math.sin(2 * v), 0);
    expectVectorsClose(outer, [exact], 'third order', 1e-5);
  });
});

// The one-kernel training batch norm (GancBatchNormTrain, native route) against the same function built from
// primitive kernels on the same backend: forward outputs bit for bit, and first and second derivatives
// (through y and through the mean and variance outputs) to float rounding, since the kernel's gradient rule
// is a different formula for the same derivative. First derivatives of an outermost gradient come from the
// derivative kernel (GancBatchNormTrainGrad), those that are differentiated again from primitives.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormFromPrimitives, batchNormTrain, type BatchNormResult } from '../../../src/runtime/autodiff/ops.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../../src/runtime/kernels/batch-norm.js';
import { kernelProfile, registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { randomValues, relativeError } from './compare.js';

type BatchNorm = (x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number) => BatchNormResult;

const SHAPES = [
  [64, 14, 14, 64], // a DCGAN generator activation, split over threads
  [3, 5, 5, 7],
  [32, 100], // a dense layer's features
  [16, 4, 4, 1], // one channel
];

const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
const tensor = (shape: number[], seed: number, offset = 0) => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed).map((v) => 2 * v + offset), shape);

/** A loss that uses all three outputs, so every part of the gradient rule is exercised. */
function loss(bn: BatchNorm, x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, weights: tf.Tensor): tf.Scalar {
  const { y, mean, variance } = bn(x, gamma, beta, 1e-5);
  return tf.addN([tf.sum(tf.mul(tf.tanh(y), weights)), tf.sum(tf.mul(mean, 0.3)), tf.sum(tf.mul(variance, -0.7))]) as tf.Scalar;
}

describe('GancBatchNormTrain', () => {
  beforeAll(async () => {
    const info = await registerGancBackend({ route: 'native' });
    expect(info.route).toBe('native');
    await tf.setBackend('ganc');
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'ganc')).toBeDefined();
  });

  for (const shape of SHAPES) {
    const channels = shape[shape.length - 1];
    const inputs = () => ({
      x: tensor(shape, 1, 0.5),
      gamma: tensor([channels], 2, 1) as tf.Tensor1D,
      beta: tensor([channels], 3) as tf.Tensor1D,
      weights: tensor(shape, 4),
    });

    it(`gives the primitives' floats for y, mean and variance, ${shape.join('x')}`, () => {
      tf.tidy(() => {
        const { x, gamma, beta } = inputs();
        const fused = batchNormTrain(x, gamma, beta, 1e-5);
        const primitives = batchNormFromPrimitives(x, gamma, beta, 1e-5);
        for (const part of ['y', 'mean', 'variance'] as const) {
          expect(fused[part].shape, part).toEqual(primitives[part].shape);
          expect(bits(fused[part]), part).toEqual(bits(primitives[part]));
        }
      });
    });

    it(`has the primitives' first and second derivatives, ${shape.join('x')}`, () => {
      tf.tidy(() => {
        const { x, gamma, beta, weights } = inputs();
        const derivatives = (bn: BatchNorm) => {
          const first = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => loss(bn, xs, g as tf.Tensor1D, b as tf.Tensor1D, weights))([x, gamma, beta]);
          // A gradient penalty: the squared norm of ∂loss/∂x, differentiated again w.r.t. x, gamma and beta.
          const penalty = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.grad((xi: tf.Tensor) => loss(bn, xi, g as tf.Tensor1D, b as tf.Tensor1D, weights))(xs))) as tf.Scalar;
          return [...first, ...tf.grads(penalty)([x, gamma, beta])];
        };
        kernelProfile.reset();
        kernelProfile.enable();
        const fused = derivatives(batchNormTrain);
        kernelProfile.disable();
        // Once for the first derivatives, and twice in the penalty's outer backward pass (through the forward
        // kernel and through the inner rule's recomputation of the statistics); never in the inner backward
        // pass, which the outer tape records: the derivative kernel has no gradient, so the outer tf.grads
        // would throw.
        expect(kernelProfile.report().find((k) => k.kernel === BATCH_NORM_TRAIN_GRAD)?.calls).toBe(3);
        const primitives = derivatives(batchNormFromPrimitives);
        const names = ['dx', 'dgamma', 'dbeta', 'd2x', 'd2gamma', 'd2beta'];
        fused.forEach((d, i) => {
          const reference = primitives[i].dataSync() as Float32Array;
          expect(reference.some((v) => v !== 0), names[i]).toBe(true);
          expect(relativeError(d.dataSync() as Float32Array, reference), names[i]).toBeLessThan(2e-5);
        });
      });
    });
  }
});

// kernelProfile counts calls, time and FLOPs per kernel on the ganc backend, only while enabled.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { kernelProfile, registerGancBackend } from '../../../src/runtime/kernels/index.js';

beforeAll(async () => {
  await registerGancBackend();
  await tf.setBackend('ganc');
});

it('records calls and exact matMul / conv FLOPs while enabled, nothing while disabled', () => {
  const run = () =>
    tf.tidy(() => {
      tf.matMul(tf.ones([2, 3]), tf.ones([3, 4])).dataSync();
      tf.conv2d(tf.ones([1, 5, 5, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 4]) as tf.Tensor4D, 1, 'valid').dataSync();
    });
  kernelProfile.reset();
  kernelProfile.enable();
  run();
  kernelProfile.disable();
  run();
  const byKernel = new Map(kernelProfile.report().map((row) => [row.kernel, row]));
  expect(byKernel.get('BatchMatMul')).toMatchObject({ calls: 1, flops: 2 * 2 * 3 * 4 });
  expect(byKernel.get('Conv2D')).toMatchObject({ calls: 1, flops: 2 * (3 * 3 * 4) * (3 * 3 * 2) });
  expect(kernelProfile.format()).toContain('BatchMatMul');
  kernelProfile.reset();
  expect(kernelProfile.report()).toEqual([]);
});

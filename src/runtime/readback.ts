// Reading values back from the device. On the CPU backends a read costs nothing; on a GPU a synchronous
// read stalls until every queued kernel has run (and tfjs's WebGPU backend cannot read synchronously
// under Node at all), so the training loop reads its scalars in batches, asynchronously (trainer.ts).
import * as tf from '@tensorflow/tfjs-core';
import { checkDeviceErrors } from './webgpu.js';

/** The values of scalar tensors, in one read (stacked on the device); the tensors stay alive. */
export function readScalarsSync(scalars: tf.Tensor[]): number[] {
  if (scalars.length === 0) return [];
  const stacked = tf.tidy(() => tf.stack(scalars));
  const values = Array.from(stacked.dataSync());
  stacked.dispose();
  return values;
}

/** readScalarsSync, asynchronously: the only way a GPU backend can read. */
export async function readScalars(scalars: tf.Tensor[]): Promise<number[]> {
  if (scalars.length === 0) return [];
  const stacked = tf.tidy(() => tf.stack(scalars));
  try {
    const values = Array.from(await stacked.data());
    checkDeviceErrors();
    return values;
  } finally {
    stacked.dispose();
  }
}

/** A float tensor's values, asynchronously (works on every backend). */
export async function readFloats(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  checkDeviceErrors();
  return values;
}

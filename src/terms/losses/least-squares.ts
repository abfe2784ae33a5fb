import * as tf from '@tensorflow/tfjs-core';
import { type AdversarialLoss, mean } from './loss.js';

export const lsgan = {
  name: 'lsgan',
  definition: 'D: ½·mean (D(x) − 1)² + ½·mean D(G(z))²; G: ½·mean (D(G(z)) − 1)²',
  d: (dReal, dFake) => tf.mul(0.5, tf.add(mean(tf.square(tf.sub(dReal, 1))), mean(tf.square(dFake)))),
  g: (dFake) => tf.mul(0.5, mean(tf.square(tf.sub(dFake, 1)))),
} as const satisfies AdversarialLoss;

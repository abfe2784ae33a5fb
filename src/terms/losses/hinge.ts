import * as tf from '@tensorflow/tfjs-core';
import { type AdversarialLoss, mean } from './loss.js';

export const hinge = {
  name: 'hinge',
  definition: 'D: mean relu(1 − D(x)) + mean relu(1 + D(G(z))); G: −mean D(G(z))',
  d: (dReal, dFake) => tf.add(mean(tf.relu(tf.sub(1, dReal))), mean(tf.relu(tf.add(1, dFake)))),
  g: (dFake) => tf.neg(mean(dFake)),
} as const satisfies AdversarialLoss;

import * as tf from '@tensorflow/tfjs-core';
import { type AdversarialLoss, mean } from './loss.js';

export const wasserstein = {
  name: 'wasserstein',
  definition: 'D: mean D(G(z)) − mean D(x); G: −mean D(G(z))',
  d: (dReal, dFake) => tf.sub(mean(dFake), mean(dReal)),
  g: (dFake) => tf.neg(mean(dFake)),
} as const satisfies AdversarialLoss;

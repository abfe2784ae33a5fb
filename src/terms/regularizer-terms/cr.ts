import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

export const cr = {
  kind: 'step',
  name: 'cr',
  definition: 'mean((D(x_real) − D(T(x_real)))²), T the `augment` statement\'s augmentation',
  source: 'consistency regularization, Zhang et al. 2019 (CR-GAN): `reg 10*cr` is their λ = 10',
  gradInputs: [],
  dInputs: ['real', 'real_aug'],
  uses: [],
  nonNegative: true,
  aliases: ['consistency', 'consistencyreg', 'consistencyregularization', 'crgan'],
  evaluate: (graph) => tf.mean(tf.square(tf.sub(graph.D('real'), graph.D('real_aug')))) as tf.Scalar,
} as const satisfies StepTerm;

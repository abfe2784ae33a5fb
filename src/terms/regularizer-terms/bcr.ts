import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

/** mean((D(x) − D(T(x)))²) over a batch. */
const consistency = (d: tf.Tensor1D, augmented: tf.Tensor1D): tf.Scalar => tf.mean(tf.square(tf.sub(d, augmented))) as tf.Scalar;

export const bcr = {
  kind: 'step',
  name: 'bcr',
  definition: 'mean((D(x_real) − D(T(x_real)))²) + mean((D(x_fake) − D(T(x_fake)))²); their λ_real, λ_fake: `reg 10*cr + 10*(bcr - cr)`',
  source: 'balanced consistency regularization, Zhao et al. 2021 (bCR)',
  gradInputs: [],
  dInputs: ['real', 'fake', 'real_aug', 'fake_aug'],
  uses: [],
  nonNegative: true,
  aliases: ['balancedcr', 'balancedconsistency', 'bcrgan'],
  evaluate: (graph) => tf.add(consistency(graph.D('real'), graph.D('real_aug')), consistency(graph.D('fake'), graph.D('fake_aug'))) as tf.Scalar,
} as const satisfies StepTerm;

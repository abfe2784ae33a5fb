import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

/** R1's penalty on generated samples: `reg 10*r2` is γ/2·E‖∇D(x_fake)‖² with γ = 10. */
export const r2 = {
  kind: 'step',
  name: 'r2',
  definition: '½·mean(‖∇D(x_fake)‖²)',
  source: 'R2 penalty, Mescheder et al. 2018',
  gradInputs: ['fake'],
  dInputs: [],
  uses: [],
  nonNegative: true,
  aliases: ['r2penalty', 'r2reg', 'fakegp'],
  evaluate: (graph) => tf.mul(0.5, tf.mean(tf.square(graph.gradNorm('fake')))) as tf.Scalar,
} as const satisfies StepTerm;

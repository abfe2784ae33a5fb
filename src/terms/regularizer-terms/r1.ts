import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

export const r1 = {
  kind: 'step',
  name: 'r1',
  definition: '½·mean(‖∇D(x_real)‖²), so `reg 10*r1` is γ/2·E‖∇D‖² with γ = 10',
  source: 'R1 (zero-centred) penalty, Roth et al. 2017; Mescheder et al. 2018',
  gradInputs: ['real'],
  dInputs: [],
  uses: [],
  nonNegative: true,
  aliases: ['r1penalty', 'r1reg', 'zerogp', 'gp0', 'realgp', 'zerocenteredgp'],
  evaluate: (graph) => tf.mul(0.5, tf.mean(tf.square(graph.gradNorm('real')))) as tf.Scalar,
} as const satisfies StepTerm;

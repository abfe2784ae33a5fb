import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

export const R = {
  kind: 'step',
  name: 'R',
  definition: 'mean‖∇D(x_real)‖ − mean‖∇D(x_fake)‖',
  source: 'gradient norm difference, Wu, Xu, Zhang 2023, eq. (2) (seed 000)',
  gradInputs: ['real', 'fake'],
  dInputs: [],
  uses: [],
  nonNegative: false,
  aliases: ['gnd', 'gradnormdiff', 'gradientnormdifference', 'normdiff'],
  evaluate: (graph) => tf.sub(tf.mean(graph.gradNorm('real')), tf.mean(graph.gradNorm('fake'))) as tf.Scalar,
} as const satisfies StepTerm;

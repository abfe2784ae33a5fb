import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

export const gp = {
  kind: 'step',
  name: 'gp',
  definition: 'mean((‖∇D(x̂)‖ − 1)²), x̂ = εx_real + (1−ε)x_fake, ε ~ U(0,1) per sample',
  source: 'WGAN-GP, Gulrajani et al. 2017',
  gradInputs: ['interp'],
  dInputs: [],
  uses: [],
  nonNegative: true,
  aliases: ['gradpen', 'gradientpenalty', 'wgangp', 'penalty', 'gpen', 'lipschitzpenalty'],
  evaluate: (graph) => tf.mean(tf.square(tf.sub(graph.gradNorm('interp'), 1))) as tf.Scalar,
} as const satisfies StepTerm;

import * as tf from '@tensorflow/tfjs-core';
import type { StepTerm } from '../term.js';

export const l2 = {
  kind: 'step',
  name: 'l2',
  definition: "Σ‖W‖² over D's kernels (not biases, not batch-norm parameters)",
  source: 'L2 weight penalty (seed 003)',
  gradInputs: [],
  dInputs: [],
  uses: [],
  nonNegative: true,
  aliases: ['weightdecay', 'l2penalty', 'l2reg', 'wd', 'weightpenalty'],
  evaluate: (graph) => tf.addN(graph.discriminatorKernels().map((w) => tf.sum(tf.square(w)))) as tf.Scalar,
} as const satisfies StepTerm;

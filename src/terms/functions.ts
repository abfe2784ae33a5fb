// The elementwise functions of the language, every one in this table: its value on a number (constant
// folding in the checker and the search), its graph op (derivative-safe at every order: the autodiff
// table in runtime/autodiff has a rule for each op used here), and what the search's algebra may
// assume of it.
import * as tf from '@tensorflow/tfjs-core';

export interface UnaryFunction {
  /** Its value on a number; numerically stable where the naive form over- or underflows. */
  value(x: number): number;
  /** The graph op. */
  graph(x: tf.Tensor): tf.Tensor;
  /** Never negative wherever defined: abs and relu of it are itself. */
  nonNegative: boolean;
  /** The function is x^power (the search's canonical form writes it as a power). */
  power?: number;
}

/** softplus(x) = log(1 + eˣ), written so that neither branch overflows. */
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export const UNARY_FUNCTIONS = {
  abs: { value: Math.abs, graph: tf.abs, nonNegative: true },
  sin: { value: Math.sin, graph: tf.sin, nonNegative: false },
  cos: { value: Math.cos, graph: tf.cos, nonNegative: false },
  exp: { value: Math.exp, graph: tf.exp, nonNegative: true },
  log: { value: Math.log, graph: tf.log, nonNegative: false },
  sqrt: { value: Math.sqrt, graph: tf.sqrt, nonNegative: true },
  square: { value: (x) => x * x, graph: tf.square, nonNegative: true, power: 2 },
  // x·x·x rather than pow: exact for negative x and free of pow's log(x) branch in its derivative.
  cube: { value: (x) => x * x * x, graph: (x) => tf.mul(tf.square(x), x), nonNegative: false, power: 3 },
  relu: { value: (x) => Math.max(x, 0), graph: tf.relu, nonNegative: true },
  softplus: { value: softplus, graph: tf.softplus, nonNegative: true },
  tanh: { value: Math.tanh, graph: tf.tanh, nonNegative: false },
} as const satisfies Record<string, UnaryFunction>;

export type UnaryFn = keyof typeof UNARY_FUNCTIONS;
export const UNARY_FNS = Object.keys(UNARY_FUNCTIONS) as UnaryFn[];

export const unaryFunction = (fn: UnaryFn): UnaryFunction => UNARY_FUNCTIONS[fn];

/** Functions that reduce a value to a scalar: mean/sum over everything that is not already a scalar. */
export const REDUCE_FNS = ['mean', 'sum'] as const;
export type ReduceFn = (typeof REDUCE_FNS)[number];

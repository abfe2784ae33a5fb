// Evaluation of a checked regularizer formula. Every value D, ∇ₓD or a built-in term needs is asked of
// a FormulaContext, which builds it once per step (and with it the double backprop it implies).
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltinTerm, DInput, Expr, UnaryFn } from '../../compiler/ir.js';
import { perSampleNorm } from '../autodiff/ops.js';

export interface FormulaContext {
  D(input: DInput): tf.Tensor1D;
  grad(input: DInput): tf.Tensor;
  term(term: BuiltinTerm): tf.Scalar;
}

const UNARY: Record<UnaryFn, (x: tf.Tensor) => tf.Tensor> = {
  abs: tf.abs,
  sin: tf.sin,
  cos: tf.cos,
  exp: tf.exp,
  log: tf.log,
  sqrt: tf.sqrt,
  square: tf.square,
  cube: (x) => tf.mul(tf.square(x), x),
  relu: tf.relu,
  softplus: tf.softplus,
  tanh: tf.tanh,
};

export function evaluateFormula(expr: Expr, ctx: FormulaContext): tf.Tensor {
  const ev = (e: Expr): tf.Tensor => evaluateFormula(e, ctx);
  switch (expr.op) {
    case 'num':
    case 'const':
      return tf.scalar(expr.value);
    case 'add':
      return tf.add(ev(expr.args[0]), ev(expr.args[1]));
    case 'sub':
      return tf.sub(ev(expr.args[0]), ev(expr.args[1]));
    case 'mul':
      return tf.mul(ev(expr.args[0]), ev(expr.args[1]));
    case 'div':
      return tf.div(ev(expr.args[0]), ev(expr.args[1]));
    case 'pow':
      return power(ev(expr.args[0]), expr.args[1], ctx);
    case 'neg':
      return tf.neg(ev(expr.arg));
    case 'call':
      return UNARY[expr.fn](ev(expr.arg));
    case 'reduce':
      return expr.fn === 'mean' ? tf.mean(ev(expr.arg)) : tf.sum(ev(expr.arg));
    case 'norm':
      return perSampleNorm(ev(expr.arg));
    case 'D':
      return ctx.D(expr.input);
    case 'grad':
      return ctx.grad(expr.input);
    case 'term':
      return ctx.term(expr.term);
  }
}

/**
 * x^k. A small non-negative integer exponent becomes repeated multiplication: exact for negative
 * bases (R_t^3 is often negative) and free of pow's log(x) branch in its derivative.
 */
function power(base: tf.Tensor, exponent: Expr, ctx: FormulaContext): tf.Tensor {
  if ((exponent.op === 'num' || exponent.op === 'const') && Number.isInteger(exponent.value) && exponent.value >= 0 && exponent.value <= 8) {
    if (exponent.value === 0) return tf.onesLike(base);
    let result = base;
    for (let i = 1; i < exponent.value; i++) result = tf.mul(result, base);
    return result;
  }
  return tf.pow(base, evaluateFormula(exponent, ctx));
}

// Evaluation of a checked regularizer formula on the graph. Every value D, ∇ₓD or a built-in term
// needs is asked of the step's TermGraph, which builds it once per step (and with it the double
// backprop it implies); functions come from the registry's table.
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltinTerm, Expr } from '../../ir/ir.js';
import { foldExpr, type BinaryNode } from '../../terms/expr.js';
import { unaryFunction } from '../../terms/functions.js';
import type { TermGraph } from '../../terms/term.js';
import { perSampleNorm } from '../../terms/tensor-ops.js';

export type FormulaContext = Pick<TermGraph<BuiltinTerm>, 'D' | 'grad' | 'term'>;

export function evaluateFormula(expr: Expr, ctx: FormulaContext): tf.Tensor {
  return foldExpr<tf.Tensor>(expr, {
    num: (e) => tf.scalar(e.value),
    const: (e) => tf.scalar(e.value),
    binary: (e, a, b) => binary(e, a, b),
    neg: (_e, x) => tf.neg(x),
    call: (e, x) => unaryFunction(e.fn).graph(x),
    reduce: (e, x) => (e.fn === 'mean' ? tf.mean(x) : tf.sum(x)),
    norm: (_e, x) => perSampleNorm(x),
    D: (e) => ctx.D(e.input),
    grad: (e) => ctx.grad(e.input),
    term: (e) => ctx.term(e.term),
  });
}

function binary(e: BinaryNode, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  switch (e.op) {
    case 'add': return tf.add(a, b);
    case 'sub': return tf.sub(a, b);
    case 'mul': return tf.mul(a, b);
    case 'div': return tf.div(a, b);
    case 'pow': return power(a, e.args[1], b);
  }
}

/**
 * x^k. A small non-negative integer exponent becomes repeated multiplication: exact for negative
 * bases (R_t^3 is often negative) and free of pow's log(x) branch in its derivative.
 */
function power(base: tf.Tensor, exponentNode: Expr, exponent: tf.Tensor): tf.Tensor {
  const k = exponentNode.op === 'num' || exponentNode.op === 'const' ? exponentNode.value : undefined;
  if (k === undefined || !Number.isInteger(k) || k < 0 || k > 8) return tf.pow(base, exponent);
  if (k === 0) return tf.onesLike(base);
  let result = base;
  for (let i = 1; i < k; i++) result = tf.mul(result, base);
  return result;
}

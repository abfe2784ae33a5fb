// Tools to check tfjs derivatives against central finite differences.
//
// Tolerance choice: the finite differences run through tfjs in float32. For a step h the central
// difference has truncation error O(h²·f''') and rounding error O(ε·|f|/h) with ε ≈ 6e-8; h = 1e-2
// keeps both near 1e-4 relative. Checks compare whole vectors in the 2-norm with relative tolerance
// 1e-2 — two orders above that noise, and far below the defects being guarded against, which change
// results by tens of percent or drop whole terms (1.5729 vs 1.2095 for x·tanh(x)).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Rng } from '../../../src/runtime/rng.js';

export const STEP = 1e-2;
export const RELATIVE_TOLERANCE = 1e-2;

export function randomNormal(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, () => rng.normal() * scale), shape);
}

/** Uniform in ±[lo, hi]: keeps inputs clear of kinks at 0 by at least lo. */
export function randomAwayFromZero(rng: Rng, shape: number[], lo = 0.2, hi = 2): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, () => (rng.uniform() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng.uniform()));
  return tf.tensor(values, shape);
}

export function randomUniform(rng: Rng, shape: number[], lo: number, hi: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, () => lo + (hi - lo) * rng.uniform()), shape);
}

/** Reads tensors into one float64 vector (asynchronously: a GPU backend reads back only so). */
export async function read(tensors: tf.Tensor[]): Promise<Float64Array> {
  const parts = await Promise.all(tensors.map((t) => t.data()));
  return Float64Array.from(parts.flatMap((values) => Array.from(values)));
}

/** Runs fn in a tidy scope, reads the tensors it makes, and disposes them. */
export async function evaluate(fn: () => tf.Tensor[]): Promise<Float64Array> {
  const tensors = tf.tidy(fn);
  try {
    return await read(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/** Central difference of a vector-valued function of the step t along a fixed direction. */
export async function centralDifference(valuesAt: (t: number) => tf.Tensor[], h = STEP): Promise<Float64Array> {
  const plus = await evaluate(() => valuesAt(h));
  const minus = await evaluate(() => valuesAt(-h));
  return plus.map((p, i) => (p - minus[i]) / (2 * h));
}

export function shifted(xs: tf.Tensor[], directions: tf.Tensor[], t: number): tf.Tensor[] {
  return xs.map((x, i) => tf.add(x, tf.mul(directions[i], t)));
}

/** Random directions the same shapes as xs, entries in [-1, 1] so a step h moves each entry ≤ h. */
export function randomDirections(rng: Rng, xs: tf.Tensor[]): tf.Tensor[] {
  return xs.map((x) => randomUniform(rng, x.shape, -1, 1));
}

/**
 * Hessian-vector product of a scalar loss by double backprop: ∇ (∇L · v), the second-order quantity
 * under test. L's first-order gradient is stock tfjs.
 */
export function hessianVectorProduct(loss: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], v: tf.Tensor[]): tf.Tensor[] {
  return tf.grads((...inner: tf.Tensor[]) => {
    const g = tf.grads(loss)(inner);
    return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, v[i])))) as tf.Scalar;
  })(xs);
}

/** Checks H·v from double backprop against the central difference of ∇L along v. */
export async function expectHessianVectorProductMatches(loss: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], v: tf.Tensor[], label: string): Promise<void> {
  const analytic = await evaluate(() => hessianVectorProduct(loss, xs, v));
  const numeric = await centralDifference((t) => tf.grads(loss)(shifted(xs, v, t)));
  expectVectorsClose(analytic, numeric, label);
}

export function expectVectorsClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, relativeTolerance = RELATIVE_TOLERANCE): void {
  expect(actual.length, label).toBe(expected.length);
  let errorSquared = 0;
  let normSquared = 0;
  for (let i = 0; i < expected.length; i++) {
    errorSquared += (actual[i] - expected[i]) ** 2;
    normSquared += expected[i] ** 2;
  }
  const error = Math.sqrt(errorSquared);
  const bound = relativeTolerance * Math.sqrt(normSquared) + 1e-5;
  expect(Number.isFinite(error), `${label}: non-finite values`).toBe(true);
  expect(error, `${label}: |actual − expected| = ${error.toExponential(3)}, bound ${bound.toExponential(3)}`).toBeLessThanOrEqual(bound);
}

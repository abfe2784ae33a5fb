// The table of unary functions: a function's value on numbers (constant folding, the search's algebra)
// agrees with its graph op, and the facts the search relies on hold.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNARY_FNS, unaryFunction } from '../../src/terms/functions.js';

const POINTS = [-30, -2.5, -1, -0.3, 0, 0.4, 1, 2, 7.5, 30];
const DOMAIN: Record<string, (x: number) => boolean> = { log: (x) => x > 0, sqrt: (x) => x >= 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('unary functions', () => {
  it.each(UNARY_FNS)('%s: value on numbers equals the graph op', (fn) => {
    const f = unaryFunction(fn);
    const xs = POINTS.filter((x) => DOMAIN[fn]?.(x) ?? true);
    const graph = f.graph(tf.tensor1d(xs, 'float32')).dataSync();
    xs.forEach((x, i) => {
      const value = f.value(x);
      expect(Math.abs(graph[i] - value)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(value)));
      if (f.nonNegative) expect(value).toBeGreaterThanOrEqual(0);
      if (f.power !== undefined) expect(value).toBeCloseTo(x ** f.power, 6);
    });
  });

  it('softplus does not overflow for large inputs', () => {
    expect(unaryFunction('softplus').value(1000)).toBe(1000);
    expect(unaryFunction('softplus').value(-1000)).toBe(0);
  });
});

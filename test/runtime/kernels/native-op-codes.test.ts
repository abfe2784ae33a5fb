// The elementwise op codes come from one list (native/src/elementwise.h) through the addon's opCodes();
// elementwise.ts has no copy. These tests hold that table to the kernels it routes: every name is a tfjs
// kernel (else its override would never be registered), the codes of a family are 0..n-1, every
// elementwise kernel ganc overrides has a code, and each code computes what tfjs's cpu kernel of that
// name computes (a code paired with the wrong name fails here).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { elementwiseOverrides } from '../../../src/runtime/kernels/elementwise.js';
import { registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { loadNativeKernels, type NativeKernels, type NativeOpCodes } from '../../../src/runtime/kernels/native.js';
import { randomValues, relativeError } from './compare.js';

const loaded = loadNativeKernels();
const native = ('kernels' in loaded ? loaded.kernels : undefined) as NativeKernels;

describe.skipIf(!native)('native elementwise op codes', () => {
  let codes: NativeOpCodes;

  beforeAll(async () => {
    codes = native.opCodes();
    await registerGancBackend({ route: 'native' });
  });

  afterEach(() => vi.restoreAllMocks());

  it('number each family 0..n-1, and name only tfjs kernels', () => {
    for (const family of Object.values(codes) as Record<string, number>[]) {
      const sorted = Object.values(family).sort((a, b) => a - b);
      expect(sorted).toEqual(sorted.map((_, i) => i));
      for (const name of Object.keys(family)) expect(tf.getKernel(name, 'cpu'), `${name} is not a tfjs cpu kernel`).toBeDefined();
    }
  });

  it('give every elementwise kernel ganc overrides a code', () => {
    const withCode = new Set((Object.values(codes) as Record<string, number>[]).flatMap((family) => Object.keys(family)));
    // Select takes no op code: it is its own entry point.
    const overridden = Object.keys(elementwiseOverrides(native)).filter((name) => name !== 'Select');
    expect(overridden.length).toBeGreaterThan(0);
    for (const name of overridden) expect(withCode.has(name), `${name} has no native op code`).toBe(true);
    expect(overridden.sort()).toEqual([...withCode].sort());
  });

  type Family = keyof NativeOpCodes;
  const ENTRY: Record<Family, 'binary' | 'compare' | 'unary'> = { binary: 'binary', compare: 'compare', unary: 'unary' };

  it('route each kernel name to its code, which computes what tfjs computes for that name', async () => {
    const cases = (Object.keys(ENTRY) as Family[]).flatMap((family) => Object.entries(codes[family]).map(([name, code]) => ({ family, name, code })));
    for (const [i, { family, name, code }] of cases.entries()) {
      // Positive inputs away from 0 for Sqrt, Rsqrt, Log and Reciprocal; halves so comparisons meet ties.
      const positive = ['Sqrt', 'Rsqrt', 'Log', 'Reciprocal', 'RealDiv'].includes(name);
      const values = (seed: number) => {
        const v = randomValues(24, seed).map((x) => (positive ? Math.abs(x) + 0.1 : x));
        return family === 'compare' ? v.map((x) => Math.round(x * 2) / 2) : v;
      };
      const run = () =>
        tf.tidy(() => {
          const inputs: tf.NamedTensorMap = family === 'unary' ? { x: tf.tensor(values(i + 1), [4, 6]) } : { a: tf.tensor(values(i + 1), [4, 6]), b: tf.tensor(values(i + 2).slice(0, 6), [6]) };
          const attrs: tf.NamedAttrMap = name === 'LeakyRelu' || name === 'Step' ? { alpha: 0.3 } : {};
          const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
          return Float32Array.from(out.dataSync());
        });
      await tf.setBackend('cpu');
      const expected = run();
      await tf.setBackend('ganc');
      const spy = vi.spyOn(native, ENTRY[family]);
      const actual = run();
      expect(spy, `${name} did not run natively`).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0], `${name} ran with the wrong op code`).toBe(code);
      spy.mockRestore();
      expect(relativeError(actual, expected), `${name} (code ${code}) differs from tfjs's ${name}`).toBeLessThan(1e-6);
    }
  });
});

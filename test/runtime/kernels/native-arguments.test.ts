// The addon's entry points check their arguments (native/src/arguments.h): a wrong argument count, a
// wrong type, a buffer shorter than the other arguments imply or an out-of-range op code must throw a
// JS error naming the entry and argument, and leave the output untouched, instead of reading or
// writing past a buffer. Valid calls must still compute the right numbers.
import { describe, expect, it } from 'vitest';
import { loadNativeKernels, type NativeKernels } from '../../../src/runtime/kernels/native.js';

const loaded = loadNativeKernels();
const native = ('kernels' in loaded ? loaded.kernels : undefined) as NativeKernels;

type Kind = 'f32' | 'u8' | 'i32' | 'number' | 'boolean' | 'string';

interface Param {
  name: string;
  kind: Kind;
  /** Its length is checked against what the other arguments imply, so one element fewer must throw. */
  sized?: boolean;
}

interface Entry {
  name: keyof NativeKernels;
  params: Param[];
  /** Fresh valid arguments; output buffers are filled with SENTINEL. */
  valid: () => unknown[];
  /** Indices of the output buffers, which a refused call must leave as they were. */
  outputs: number[];
  /** Asserts the result of a valid call on these arguments. */
  check: (args: unknown[], result: unknown) => void;
}

const SENTINEL = 12345;
const filled = (length: number) => new Float32Array(length).fill(SENTINEL);
/** Small integers, so products and sums are exact in float32 and results can be compared exactly. */
const ints = (length: number, seed: number) => Float32Array.from({ length }, (_, i) => ((i * 7 + seed * 3) % 9) - 4);

const f32 = (name: string, sized = true): Param => ({ name, kind: 'f32', sized });
const num = (name: string): Param => ({ name, kind: 'number' });

// conv geometry: batch 2, 5x5x2 input, 3x3 filter to 3 channels, stride 2, 'same' padding (1 top/left) -> 3x3.
const G = { batch: 2, inH: 5, inW: 5, inC: 2, fH: 3, fW: 3, outC: 3, outH: 3, outW: 3, stride: 2, pad: 1 };
const geometry = () => Int32Array.of(G.batch, G.inH, G.inW, G.inC, G.fH, G.fW, G.outC, G.outH, G.outW, G.stride, G.stride, G.pad, G.pad);
const X_SIZE = G.batch * G.inH * G.inW * G.inC;
const W_SIZE = G.fH * G.fW * G.inC * G.outC;
const Y_SIZE = G.batch * G.outH * G.outW * G.outC;

/** Direct convolution: fn(xIndex, wIndex, yIndex) for every product term of y = conv(x, w). */
function forEachTerm(fn: (xi: number, wi: number, yi: number) => void): void {
  for (let n = 0; n < G.batch; n++)
    for (let oh = 0; oh < G.outH; oh++)
      for (let ow = 0; ow < G.outW; ow++)
        for (let fh = 0; fh < G.fH; fh++)
          for (let fw = 0; fw < G.fW; fw++) {
            const ih = oh * G.stride - G.pad + fh;
            const iw = ow * G.stride - G.pad + fw;
            if (ih < 0 || ih >= G.inH || iw < 0 || iw >= G.inW) continue;
            for (let c = 0; c < G.inC; c++)
              for (let o = 0; o < G.outC; o++)
                fn(((n * G.inH + ih) * G.inW + iw) * G.inC + c, ((fh * G.fW + fw) * G.inC + c) * G.outC + o, ((n * G.outH + oh) * G.outW + ow) * G.outC + o);
          }
}

function convEntry(name: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'): Entry {
  // Argument order and the tensor each buffer holds, as addon.cc's Conv* entries take them.
  const layout = {
    conv2d: [['x', X_SIZE], ['filter', W_SIZE], ['y', Y_SIZE]],
    conv2dBackpropInput: [['dy', Y_SIZE], ['filter', W_SIZE], ['dx', X_SIZE]],
    conv2dBackpropFilter: [['x', X_SIZE], ['dy', Y_SIZE], ['dw', W_SIZE]],
  }[name] as [string, number][];
  return {
    name,
    params: [{ name: 'geometry', kind: 'i32', sized: true }, ...layout.map(([buffer]) => f32(buffer))],
    valid: () => [geometry(), ints(layout[0][1], 1), ints(layout[1][1], 2), filled(layout[2][1])],
    outputs: [3],
    check: (args) => {
      const [, first, second, out] = args as [Int32Array, Float32Array, Float32Array, Float32Array];
      const expected = new Float32Array(out.length);
      forEachTerm((xi, wi, yi) => {
        if (name === 'conv2d') expected[yi] += first[xi] * second[wi];
        if (name === 'conv2dBackpropInput') expected[xi] += first[yi] * second[wi];
        if (name === 'conv2dBackpropFilter') expected[wi] += first[xi] * second[yi];
      });
      expect(Array.from(out)).toEqual(Array.from(expected));
    },
  };
}

function entries(): Entry[] {
  const codes = native.opCodes();
  return [
    {
      name: 'gemm',
      params: [
        { name: 'transA', kind: 'boolean' },
        { name: 'transB', kind: 'boolean' },
        num('m'),
        num('n'),
        num('k'),
        f32('a'),
        f32('b'),
        f32('c'),
        num('batch'),
        num('batchA'),
        num('batchB'),
      ],
      // c[i] (2x3) = a[i]^T (a[i] stored 4x2) * b (4x3) for i < 2: a has two matrices, b one (broadcast).
      valid: () => [true, false, 2, 3, 4, ints(16, 1), ints(12, 2), filled(12), 2, 2, 1],
      outputs: [7],
      check: (args) => {
        const [a, b, c] = [args[5], args[6], args[7]] as Float32Array[];
        const expected: number[] = [];
        for (let i = 0; i < 2; i++)
          for (let r = 0; r < 2; r++)
            for (let col = 0; col < 3; col++) {
              let sum = 0;
              for (let p = 0; p < 4; p++) sum += a[i * 8 + p * 2 + r] * b[p * 3 + col];
              expected.push(sum);
            }
        expect(Array.from(c)).toEqual(expected);
      },
    },
    convEntry('conv2d'),
    {
      name: 'conv2dBias',
      params: [{ name: 'geometry', kind: 'i32', sized: true }, f32('x'), f32('filter'), f32('bias'), f32('y'), num('activation'), num('alpha')],
      // With leakyRelu(., 0.25) after the bias (exact in float32 on these small integers).
      valid: () => [geometry(), ints(X_SIZE, 1), ints(W_SIZE, 2), ints(G.outC, 3), filled(Y_SIZE), 1, 0.25],
      outputs: [4],
      check: (args) => {
        const [, x, w, bias, y] = args as [Int32Array, Float32Array, Float32Array, Float32Array, Float32Array];
        const expected = new Float32Array(y.length);
        forEachTerm((xi, wi, yi) => {
          expected[yi] += x[xi] * w[wi];
        });
        for (let i = 0; i < expected.length; i++) {
          const z = expected[i] + bias[i % G.outC];
          expected[i] = z > 0 ? z : 0.25 * z;
        }
        expect(Array.from(y)).toEqual(Array.from(expected));
      },
    },
    convEntry('conv2dBackpropInput'),
    convEntry('conv2dBackpropFilter'),
    {
      name: 'binary',
      params: [num('op'), f32('a'), { name: 'aShape', kind: 'i32', sized: true }, f32('b'), { name: 'bShape', kind: 'i32', sized: true }, f32('out'), { name: 'outShape', kind: 'i32', sized: true }],
      // [2, 3] - [2, 1]: b broadcasts along the rows.
      valid: () => [codes.binary.Sub, ints(6, 1), Int32Array.of(2, 3), Float32Array.of(10, 20), Int32Array.of(2, 1), filled(6), Int32Array.of(2, 3)],
      outputs: [5],
      check: (args) => {
        const a = args[1] as Float32Array;
        expect(Array.from(args[5] as Float32Array)).toEqual(Array.from(a, (v, i) => v - (i < 3 ? 10 : 20)));
      },
    },
    {
      name: 'compare',
      params: [num('op'), f32('a'), { name: 'aShape', kind: 'i32', sized: true }, f32('b'), { name: 'bShape', kind: 'i32', sized: true }, { name: 'out', kind: 'u8', sized: true }, { name: 'outShape', kind: 'i32', sized: true }],
      valid: () => [codes.compare.Greater, ints(6, 1), Int32Array.of(2, 3), Float32Array.of(0, -2), Int32Array.of(2, 1), new Uint8Array(6).fill(7), Int32Array.of(2, 3)],
      outputs: [5],
      check: (args) => {
        const a = args[1] as Float32Array;
        expect(Array.from(args[5] as Uint8Array)).toEqual(Array.from(a, (v, i) => Number(v > (i < 3 ? 0 : -2))));
      },
    },
    {
      name: 'unary',
      params: [num('op'), f32('x', false), f32('out'), num('alpha')],
      valid: () => [codes.unary.LeakyRelu, ints(10, 1), filled(10), 0.25],
      outputs: [2],
      check: (args) => expect(Array.from(args[2] as Float32Array)).toEqual(Array.from(args[1] as Float32Array, (v) => (v > 0 ? v : 0.25 * v))),
    },
    {
      name: 'select',
      params: [{ name: 'condition', kind: 'u8', sized: true }, f32('a'), f32('b'), f32('out', false)],
      valid: () => [Uint8Array.of(1, 0, 0, 1, 1), ints(5, 1), ints(5, 2), filled(5)],
      outputs: [3],
      check: (args) => {
        const [condition, a, b, out] = args as [Uint8Array, Float32Array, Float32Array, Float32Array];
        expect(Array.from(out)).toEqual(Array.from(condition, (c, i) => (c ? a[i] : b[i])));
      },
    },
    {
      name: 'stepMultiply',
      params: [f32('dy'), f32('x'), f32('out', false), num('alpha')],
      valid: () => [ints(10, 1), Float32Array.of(1, -1, 0, 2, -3, NaN, 4, -0.5, 0.5, -2), filled(10), 0.25],
      outputs: [2],
      check: (args) => {
        const [dy, x, out] = args as [Float32Array, Float32Array, Float32Array];
        // dy * step(x, 0.25): 1 above 0, 0.25 at or below it, NaN for NaN.
        expect(Array.from(out)).toEqual(Array.from(x, (v, i) => dy[i] * (Number.isNaN(v) ? NaN : v > 0 ? 1 : 0.25)));
      },
    },
    {
      name: 'reduceSum',
      params: [f32('x'), num('outer'), num('reduced'), num('inner'), num('scale'), f32('out')],
      valid: () => [ints(12, 1), 2, 3, 2, 0.5, filled(4)],
      outputs: [5],
      check: (args) => {
        const x = args[0] as Float32Array;
        const expected = [0, 1].flatMap((o) => [0, 1].map((i) => 0.5 * [0, 1, 2].reduce((s, r) => s + x[(o * 3 + r) * 2 + i], 0)));
        expect(Array.from(args[5] as Float32Array)).toEqual(expected);
      },
    },
    {
      name: 'batchNormTrain',
      params: [f32('x'), num('rows'), num('channels'), f32('gamma'), f32('beta'), num('eps'), num('scale'), f32('y'), f32('mean'), f32('variance')],
      valid: () => [ints(8, 1), 4, 2, Float32Array.of(1, 2), Float32Array.of(0.5, -1), 1e-5, 0.25, filled(8), filled(2), filled(2)],
      outputs: [7, 8, 9],
      check: (args) => {
        const [x, , , gamma, beta] = args as Float32Array[];
        const [y, mean, variance] = args.slice(7) as Float32Array[];
        const f = Math.fround;
        // The primitives' float steps: Mean, Sub, Square, Mean, Add eps, Rsqrt, Multiply, Multiply, Add.
        for (let c = 0; c < 2; c++) {
          const column = [0, 1, 2, 3].map((r) => x[r * 2 + c]);
          const mu = f(column.reduce((s, v) => s + v, 0) * f(0.25));
          const sigma2 = f(column.reduce((s, v) => s + f(f(v - mu) * f(v - mu)), 0) * f(0.25));
          const r = f(1 / Math.sqrt(f(sigma2 + f(1e-5))));
          expect([mean[c], variance[c]]).toEqual([mu, sigma2]);
          expect([0, 1, 2, 3].map((row) => y[row * 2 + c])).toEqual(column.map((v) => f(f(f(f(v - mu) * r) * gamma[c]) + beta[c])));
        }
      },
    },
    {
      name: 'batchNormTrainGrad',
      params: [
        f32('x'), f32('dy'), num('rows'), num('channels'), f32('mean'), f32('variance'), f32('gamma'), f32('dmean'), f32('dvariance'),
        num('eps'), f32('dx'), f32('dgamma'), f32('dbeta'),
      ],
      valid: () => [
        ints(8, 1), ints(8, 2), 4, 2, Float32Array.of(0.5, -0.25), Float32Array.of(2, 3), Float32Array.of(1, -2), Float32Array.of(0.5, 1),
        Float32Array.of(-1, 0.25), 1e-5, filled(8), filled(2), filled(2),
      ],
      outputs: [10, 11, 12],
      check: (args) => {
        const [x, dy, , , mean, variance, gamma, dmean, dvariance] = args as Float32Array[];
        const [dx, dgamma, dbeta] = args.slice(10) as Float32Array[];
        // The closed form in double: dx = k·dy + x̂·(2·dvar/(n·r) − k·Σ(dy·x̂)/n) + (dmean − k·Σdy)/n.
        for (let c = 0; c < 2; c++) {
          const r = 1 / Math.sqrt(variance[c] + 1e-5);
          const rows = [0, 1, 2, 3];
          const normalised = rows.map((row) => (x[row * 2 + c] - mean[c]) * r);
          const sumDy = rows.reduce((s, row) => s + dy[row * 2 + c], 0);
          const sumDyNormalised = rows.reduce((s, row) => s + dy[row * 2 + c] * normalised[row], 0);
          const k = gamma[c] * r;
          expect(dbeta[c]).toBeCloseTo(sumDy, 5);
          expect(dgamma[c]).toBeCloseTo(sumDyNormalised, 5);
          for (const row of rows) {
            const expected = k * dy[row * 2 + c] + normalised[row] * (2 * dvariance[c] / (4 * r) - (k * sumDyNormalised) / 4) + (dmean[c] - k * sumDy) / 4;
            expect(dx[row * 2 + c]).toBeCloseTo(expected, 5);
          }
        }
      },
    },
    {
      name: 'adam',
      params: [f32('param', false), f32('m'), f32('v'), f32('grad'), f32('paramOut'), f32('mOut'), f32('vOut'), num('lr'), num('beta1'), num('beta2'), num('eps'), num('step')],
      valid: () => [ints(6, 1), ints(6, 2).map((v) => v / 8), ints(6, 3).map((v) => Math.abs(v) / 16), ints(6, 4), filled(6), filled(6), filled(6), 1e-2, 0.5, 0.9, 1e-8, 3],
      outputs: [4, 5, 6],
      check: (args) => {
        const [param, m, v, grad, paramOut, mOut, vOut] = args as Float32Array[];
        const [lr, beta1, beta2, eps, step] = args.slice(7) as number[];
        for (let i = 0; i < param.length; i++) {
          // torch.optim.Adam's update (optimizer.h), in double here: float32 rounding stays within 1e-6.
          const m1 = beta1 * m[i] + (1 - beta1) * grad[i];
          const v1 = beta2 * v[i] + (1 - beta2) * grad[i] ** 2;
          const p1 = param[i] - (lr / (1 - beta1 ** step)) * (m1 / (Math.sqrt(v1) / Math.sqrt(1 - beta2 ** step) + eps));
          for (const [actual, expected] of [[mOut[i], m1], [vOut[i], v1], [paramOut[i], p1]]) {
            expect(Math.abs(actual - expected)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
          }
        }
      },
    },
    {
      name: 'setBlas',
      params: [{ name: 'name', kind: 'string' }],
      valid: () => ['ganc'],
      outputs: [],
      check: (_args, result) => {
        expect(result).toBe('ganc');
        expect(native.blas()).toBe('ganc');
      },
    },
    { name: 'blas', params: [], valid: () => [], outputs: [], check: (_args, result) => expect(['openblas', 'ganc']).toContain(result) },
    {
      name: 'setDeferred',
      params: [{ name: 'on', kind: 'boolean' }],
      valid: () => [false],
      outputs: [],
      check: () => {
        // Deferred, the kernels still run in call order: each Neg reads the one before's output.
        const neg = native.opCodes().unary.Neg;
        const x = ints(1 << 16, 3);
        const [a, b] = [filled(x.length), filled(x.length)];
        native.setDeferred(true);
        try {
          native.unary(neg, x, a, 0);
          native.unary(neg, a, b, 0);
          native.unary(neg, b, a, 0);
          native.join();
        } finally {
          native.setDeferred(false);
        }
        expect(Array.from(a)).toEqual(Array.from(x, (v) => -v));
      },
    },
    { name: 'join', params: [], valid: () => [], outputs: [], check: (_args, result) => expect(result).toBeUndefined() },
    {
      name: 'threads',
      params: [],
      valid: () => [],
      outputs: [],
      check: (_args, result) => {
        expect(Number.isInteger(result)).toBe(true);
        expect(result).toBeGreaterThanOrEqual(1);
      },
    },
    {
      name: 'opCodes',
      params: [],
      valid: () => [],
      outputs: [],
      check: (_args, result) => expect(Object.keys(result as object).sort()).toEqual(['binary', 'compare', 'unary']),
    },
  ];
}

/** A value of another kind than the parameter takes, and the type name the message must ask for. */
const WRONG: Record<Kind, { value: (valid: unknown) => unknown; expected: string }> = {
  f32: { value: (v) => new Float64Array((v as Float32Array).length), expected: 'a Float32Array' },
  u8: { value: (v) => new Uint8ClampedArray((v as Uint8Array).length), expected: 'a Uint8Array' },
  i32: { value: (v) => Array.from(v as Int32Array), expected: 'an Int32Array' },
  number: { value: (v) => String(v), expected: 'a number' },
  boolean: { value: () => 1, expected: 'a boolean' },
  string: { value: () => 1, expected: 'a string' },
};

const escape = (text: string) => text.replace(/[()[\]]/g, '\\$&');

/** Calls the entry, expects it to throw `type` with a message matching `message`, and no output written. */
function expectRefused(entry: Entry, args: unknown[], type: ErrorConstructor, message: RegExp): void {
  const fn = native[entry.name] as (...a: unknown[]) => unknown;
  expect(() => fn(...args)).toThrow(type);
  expect(() => fn(...args)).toThrow(message);
  for (const index of entry.outputs) {
    // Only the caller's buffers (a replaced argument is not one).
    const out = args[index];
    if (out instanceof Float32Array || out instanceof Uint8Array) {
      const untouched = out instanceof Uint8Array ? 7 : SENTINEL;
      expect(Array.from(out).every((v) => v === untouched), `${entry.name}: output ${index + 1} written by a refused call`).toBe(true);
    }
  }
}

describe.skipIf(!native)('native entry points check their arguments', () => {
  const all = native ? entries() : [];
  const blasBefore = native?.blas();

  it('every entry the addon exports is covered here', () => {
    const covered = all.map((e) => e.name).sort();
    const exported = Object.keys(native).filter((k) => typeof (native as unknown as Record<string, unknown>)[k] === 'function');
    expect(exported.sort()).toEqual(covered);
  });

  for (const entry of all) {
    describe(entry.name, () => {
      it('computes the right numbers on valid arguments', () => {
        const args = entry.valid();
        const result = (native[entry.name] as (...a: unknown[]) => unknown)(...args);
        entry.check(args, result);
        if (entry.name === 'setBlas') native.setBlas(blasBefore!);
      });

      it('refuses a wrong argument count', () => {
        const n = entry.params.length;
        const plural = n === 1 ? '' : 's';
        if (n > 0) expectRefused(entry, entry.valid().slice(0, -1), TypeError, new RegExp(`^${entry.name}: expects ${n} argument${plural}, got ${n - 1}$`));
        expectRefused(entry, [...entry.valid(), 0], TypeError, new RegExp(`^${entry.name}: expects ${n} argument${plural}, got ${n + 1}$`));
      });

      it.skipIf(entry.params.length === 0)('refuses an argument of the wrong type, naming it', () => {
        entry.params.forEach((param, i) => {
          const args = entry.valid();
          const wrong = WRONG[param.kind];
          args[i] = wrong.value(args[i]);
          const label = escape(`${entry.name}: argument ${i + 1} (${param.name}) must be ${wrong.expected}, got `);
          expectRefused(entry, args, TypeError, new RegExp(`^${label}`));
          // A missing (undefined) argument is a wrong type too.
          args[i] = undefined;
          expectRefused(entry, args, TypeError, new RegExp(`^${label}undefined$`));
        });
      });

      const sized = entry.params.map((param, i) => ({ ...param, i })).filter((p) => p.sized);
      it.skipIf(sized.length === 0)('refuses a buffer shorter than the other arguments imply', () => {
        for (const param of sized) {
          const args = entry.valid();
          const buffer = args[param.i] as Float32Array | Uint8Array | Int32Array;
          args[param.i] = buffer.subarray(0, buffer.length - 1);
          const unit = { f32: 'floats', u8: 'bytes' }[param.kind as 'f32' | 'u8'];
          const label = escape(`argument ${param.i + 1} (${param.name})`);
          // Buffers: exactly how much is missing. Shapes and geometry: the message names the argument.
          const message = unit
            ? new RegExp(`^${entry.name}: ${label} holds ${buffer.length - 1} ${unit}, needs ${buffer.length}$`)
            : new RegExp(`^${entry.name}: .*${label}`);
          expectRefused(entry, args, RangeError, message);
        }
      });
    });
  }

  it('refuses op codes out of range and non-integer sizes', () => {
    const byName = Object.fromEntries(all.map((e) => [e.name, e]));
    const codes = native.opCodes();
    for (const [name, family] of [['binary', codes.binary], ['compare', codes.compare], ['unary', codes.unary]] as const) {
      const count = Object.keys(family).length;
      for (const op of [count, -1, 0.5]) {
        const args = byName[name].valid();
        args[0] = op;
        expectRefused(byName[name], args, RangeError, new RegExp(`^${name}: argument 1 \\(op\\) must be an integer in \\[0, ${count - 1}\\], got ${op}$`));
      }
    }
    const gemm = (changes: Record<number, unknown>) => Object.assign(byName.gemm.valid(), changes);
    expectRefused(byName.gemm, gemm({ 2: 2.5 }), RangeError, /^gemm: argument 3 \(m\) must be an integer/);
    expectRefused(byName.gemm, gemm({ 4: -4 }), RangeError, /^gemm: argument 5 \(k\) must be an integer/);
    expectRefused(byName.gemm, gemm({ 3: NaN }), RangeError, /^gemm: argument 4 \(n\) must be an integer .* got nan$/i);
    // batchA indexes modulo: 0 would divide by zero.
    expectRefused(byName.gemm, gemm({ 9: 0 }), RangeError, /^gemm: argument 10 \(batchA\) must be an integer in \[1, /);
    expectRefused(byName.adam, Object.assign(byName.adam.valid(), { 11: 0 }), RangeError, /^adam: argument 12 \(step\) must be an integer in \[1, /);
    expectRefused(byName.setBlas, ['mkl'], RangeError, /^setBlas: argument 1 \(name\) must be 'openblas' or 'ganc', got 'mkl'$/);
  });

  it('runs empty convolutions (no output pixels) instead of dividing by zero', () => {
    // 1 image 4x4x2, 3x3 filter to 1 channel, 0x0 output: dx is all zeros.
    const dx = filled(32);
    native.conv2dBackpropInput(Int32Array.of(1, 4, 4, 2, 3, 3, 1, 0, 0, 1, 1, 0, 0), new Float32Array(0), ints(18, 1), dx);
    expect(Array.from(dx)).toEqual(new Array(32).fill(0));
    const dw = filled(18);
    native.conv2dBackpropFilter(Int32Array.of(1, 4, 4, 2, 3, 3, 1, 0, 0, 1, 1, 0, 0), ints(32, 1), new Float32Array(0), dw);
    expect(Array.from(dw)).toEqual(new Array(18).fill(0));
  });

  it('refuses conv geometries and broadcast shapes the kernels cannot run', () => {
    const conv = all.find((e) => e.name === 'conv2d')!;
    for (const [field, value, message] of [
      [9, 0, /field 9 \(strideHeight\) must be >= 1, got 0$/],
      [12, -1, /field 12 \(padLeft\) must be >= 0, got -1$/],
      [0, -2, /field 0 \(batch\) must be >= 0, got -2$/],
    ] as const) {
      const args = conv.valid();
      (args[0] as Int32Array)[field] = value;
      expectRefused(conv, args, RangeError, message);
    }
    // A bigger output than y holds is a short buffer, whatever the inputs.
    const args = conv.valid();
    (args[0] as Int32Array)[7] = 4;
    expectRefused(conv, args, RangeError, new RegExp(`^conv2d: argument 4 \\(y\\) holds ${Y_SIZE} floats, needs ${(Y_SIZE / 3) * 4}$`));
    const huge = conv.valid();
    (huge[0] as Int32Array).set([65536, 65536], 7);
    expectRefused(conv, huge, RangeError, /^conv2d: geometry too large/);

    const binary = all.find((e) => e.name === 'binary')!;
    const withShapes = (a: number[], b: number[], out: number[]) => Object.assign(binary.valid(), { 2: Int32Array.from(a), 4: Int32Array.from(b), 6: Int32Array.from(out) });
    expectRefused(binary, withShapes([2, 3], [3, 1], [2, 3]), RangeError, /^binary: argument 5 \(bShape\) \[3,1\] does not broadcast to argument 7 \(outShape\) \[2,3\]$/);
    expectRefused(binary, withShapes([1, 2, 3], [2, 1], [2, 3]), RangeError, /argument 3 \(aShape\) \[1,2,3\] does not broadcast/);
    expectRefused(binary, withShapes([2, 3], [2, 1], [1, 1, 1, 1, 1, 1, 1, 2, 3]), RangeError, /argument 7 \(outShape\) .* has rank over 8$/);
    expectRefused(binary, withShapes([2, 3], [2, 1], [2, -3]), RangeError, /has a negative dimension$/);
  });
});

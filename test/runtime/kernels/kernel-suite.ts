// Every fast kernel of the ganc backend against tfjs's stock cpu kernel, on the given route.
// DCGAN-MNIST layer shapes run at batch 1-2 instead of 64: the stock cpu reference needs ~18 s per
// Conv2DBackpropFilter call at batch 64, and the batch size does not change the code path.
// On the portable route only the convolution kernels are tested: MatMul and the elementwise
// kernels there are tfjs's own, so comparing them with themselves would prove nothing.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGancBackend, type KernelRoute } from '../../../src/runtime/kernels/index.js';
import { loadNativeKernels } from '../../../src/runtime/kernels/native.js';
import { gancVersusCpu, randomValues, TOLERANCE } from './compare.js';

type Padding = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
  pad: Padding;
  dilation?: number;
}

const ODD_SHAPES = [
  { batch: 1, height: 7, width: 9, inC: 3, outC: 5 },
  { batch: 2, height: 8, width: 8, inC: 1, outC: 4 },
  { batch: 3, height: 5, width: 11, inC: 4, outC: 2 },
  { batch: 1, height: 13, width: 6, inC: 2, outC: 7 },
];

const CONV_CASES: ConvCase[] = [
  ...[3, 4].flatMap((kernel) =>
    [1, 2].flatMap((stride) =>
      (['same', 'valid'] as const).flatMap((pad, p) =>
        [0, 2].map((offset) => ({ ...ODD_SHAPES[(stride + p + offset) % ODD_SHAPES.length], kernel, stride, pad })),
      ),
    ),
  ),
  // DCGAN-MNIST discriminator layers.
  { batch: 2, height: 28, width: 28, inC: 1, outC: 64, kernel: 4, stride: 2, pad: 'same' },
  { batch: 1, height: 14, width: 14, inC: 64, outC: 128, kernel: 4, stride: 2, pad: 'same' },
  // Explicit padding arrays, and a dilation the native kernels leave to the cpu kernel.
  { batch: 2, height: 9, width: 7, inC: 3, outC: 4, kernel: 3, stride: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { batch: 1, height: 9, width: 9, inC: 2, outC: 3, kernel: 3, stride: 1, pad: 'same', dilation: 2 },
];

const label = (c: ConvCase) =>
  `x ${c.batch}x${c.height}x${c.width}x${c.inC} -> ${c.outC}, k${c.kernel} s${c.stride} ${JSON.stringify(c.pad)}` +
  (c.dilation ? ` d${c.dilation}` : '');

function convTensors(c: ConvCase, seed: number) {
  const xShape = [c.batch, c.height, c.width, c.inC] as [number, number, number, number];
  const filterShape = [c.kernel, c.kernel, c.inC, c.outC] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, c.stride, c.dilation ?? 1, c.pad);
  const x = tf.tensor4d(randomValues(tf.util.sizeFromShape(xShape), seed), xShape);
  const filter = tf.tensor4d(randomValues(tf.util.sizeFromShape(filterShape), seed + 1), filterShape);
  const dy = tf.tensor4d(randomValues(tf.util.sizeFromShape(info.outShape), seed + 2), info.outShape);
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
  return { xShape, filterShape, x, filter, dy, attrs };
}

interface MatMulCase {
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
}

// [m, k, n] products, the DCGAN-MNIST dense layers among them, each under all four transposes.
const MATMUL_SIZES = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [17, 33, 9],
  [64, 128, 6272],
  [64, 6272, 1],
  [130, 257, 65],
  // Depth 1 (outer products) and one output column, which the native gemm computes without packing.
  [37, 1, 45],
  [6272, 64, 1],
  [300, 600, 1],
  [13, 700, 1],
];

const MATMUL_CASES: MatMulCase[] = [
  ...MATMUL_SIZES.flatMap(([m, k, n]) =>
    [false, true].flatMap((transposeA) =>
      [false, true].map((transposeB) => ({
        aShape: transposeA ? [k, m] : [m, k],
        bShape: transposeB ? [n, k] : [k, n],
        transposeA,
        transposeB,
      })),
    ),
  ),
  // Batched, and broadcast over batch as tfjs allows.
  { aShape: [4, 5, 6], bShape: [4, 6, 3], transposeA: false, transposeB: false },
  { aShape: [2, 3, 6, 5], bShape: [6, 7], transposeA: true, transposeB: false },
  { aShape: [1, 5, 6], bShape: [3, 7, 6], transposeA: false, transposeB: true },
  { aShape: [12, 9, 4], bShape: [12, 9, 10], transposeA: true, transposeB: false },
];

// Broadcasting pairs: same shape, bias over channels, scalar, per-sample scale, both sides broadcast.
const BROADCAST_PAIRS: [number[], number[]][] = [
  [[3, 5, 7], [3, 5, 7]],
  [[8, 14, 14, 64], [64]],
  [[2, 9, 3], []],
  [[], [4, 3]],
  [[6, 1, 1, 1], [6, 5, 4, 1]],
  [[5, 1, 3], [1, 4, 1]],
  [[300000], [300000]],
];

const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference'] as const;
const COMPARE_OPS = ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual'] as const;
const UNARY_OPS = ['neg', 'square', 'sqrt', 'rsqrt', 'reciprocal', 'abs', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'step'] as const;

// Reductions over one block of axes (the native path) and over split axes (the cpu fallback).
const REDUCTIONS: { shape: number[]; axis: number[] | undefined; keepDims: boolean }[] = [
  { shape: [8, 14, 14, 64], axis: [0, 1, 2], keepDims: false },
  { shape: [64, 784], axis: [1], keepDims: true },
  { shape: [5, 7, 9], axis: undefined, keepDims: false },
  { shape: [5, 7, 9], axis: [1], keepDims: false },
  { shape: [5, 1, 9], axis: [0, 1], keepDims: true },
  { shape: [200001], axis: [0], keepDims: false },
  { shape: [4, 6, 3], axis: [0, 2], keepDims: false },
];

const tensorOf = (shape: number[], seed: number) => tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);

/** Runs every case, then reports the worst one; every case must be within TOLERANCE. */
async function expectAllClose<T>(cases: T[], name: (c: T) => string, fn: (c: T, index: number) => () => tf.Tensor | tf.Tensor[]) {
  const failures: string[] = [];
  for (const [index, c] of cases.entries()) {
    const error = await gancVersusCpu(fn(c, index));
    if (!(error < TOLERANCE)) failures.push(`${name(c)}: relative error ${error}`);
  }
  expect(failures).toEqual([]);
}

export function describeKernelSuite(route: KernelRoute): void {
  describe(`ganc kernels, ${route} route, against tfjs cpu`, () => {
    beforeAll(async () => {
      const info = await registerGancBackend({ route });
      expect(info.route).toBe(route);
    });

    it('MatMul: all transposes, odd sizes, batch broadcasting', async () => {
      await expectAllClose(
        MATMUL_CASES,
        (c) => `${c.aShape} x ${c.bShape} tA=${c.transposeA} tB=${c.transposeB}`,
        (c, i) => () =>
          tf.matMul(
            tf.tensor(randomValues(tf.util.sizeFromShape(c.aShape), 10 * i + 1), c.aShape),
            tf.tensor(randomValues(tf.util.sizeFromShape(c.bShape), 10 * i + 2), c.bShape),
            c.transposeA,
            c.transposeB,
          ),
      );
    });

    // Products this big go to OpenBLAS when it is installed; the test runs them on both gemms.
    it.skipIf(route === 'portable')('large MatMul on OpenBLAS (when installed) and on ganc\'s gemm', async () => {
      const loaded = loadNativeKernels();
      if ('error' in loaded) throw new Error(loaded.error);
      const product = () => tf.matMul(tensorOf([520, 515], 1), tensorOf([530, 515], 2), false, true);
      try {
        for (const blas of ['openblas', 'ganc'] as const) {
          loaded.kernels.setBlas(blas);
          expect(await gancVersusCpu(product), blas).toBeLessThan(TOLERANCE);
        }
      } finally {
        loaded.kernels.setBlas('openblas');
      }
    });

    it.skipIf(route === 'portable')('fused MatMul with bias and activation (dense layers)', async () => {
      const activations = ['linear', 'relu', 'leakyrelu', 'sigmoid'] as const;
      await expectAllClose(
        [...activations],
        (activation) => activation,
        (activation, i) => () =>
          tf.fused.matMul({
            a: tf.tensor2d(randomValues(64 * 100, i + 1), [64, 100]),
            b: tf.tensor2d(randomValues(100 * 49, i + 2), [100, 49]),
            bias: tf.tensor1d(randomValues(49, i + 3)),
            activation,
            leakyreluAlpha: 0.1,
          }),
      );
    });

    it('Conv2D: kernels 3 and 4, strides 1 and 2, same/valid/explicit padding, DCGAN shapes', async () => {
      await expectAllClose(CONV_CASES, label, (c, i) => () => {
        const { x, filter } = convTensors(c, 100 * i);
        return tf.conv2d(x, filter, c.stride, c.pad, 'NHWC', c.dilation ?? 1);
      });
    });

    it('FusedConv2D with bias and relu', async () => {
      await expectAllClose(CONV_CASES.slice(0, 4), label, (c, i) => () => {
        const { x, filter } = convTensors(c, 100 * i);
        const bias = tf.tensor1d(randomValues(c.outC, i));
        return tf.fused.conv2d({ x, filter, strides: c.stride, pad: c.pad, bias, activation: 'relu' });
      });
    });

    // tfjs has no dilated backprop kernels (a dilated conv's gradient goes through other ops).
    it('Conv2DBackpropInput on the same cases', async () => {
      await expectAllClose(
        CONV_CASES.filter((c) => !c.dilation),
        label,
        (c, i) => () => {
          const { xShape, filter, dy, attrs } = convTensors(c, 100 * i);
          return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: xShape } as never) as tf.Tensor;
        },
      );
    });

    it('Conv2DBackpropFilter on the same cases', async () => {
      await expectAllClose(
        CONV_CASES.filter((c) => !c.dilation),
        label,
        (c, i) => () => {
          const { x, filterShape, dy, attrs } = convTensors(c, 100 * i);
          return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape } as never) as tf.Tensor;
        },
      );
    });

    it('conv2dTranspose (the generator deconvs of DCGAN-MNIST)', async () => {
      const deconvs = [
        { input: [2, 7, 7, 128], filter: [4, 4, 64, 128], output: [2, 14, 14, 64] },
        { input: [2, 14, 14, 64], filter: [4, 4, 1, 64], output: [2, 28, 28, 1] },
        { input: [1, 5, 3, 3], filter: [3, 3, 2, 3], output: [1, 9, 5, 2] },
      ];
      await expectAllClose(
        deconvs,
        (d) => `${d.input} -> ${d.output}`,
        (d, i) => () =>
          tf.conv2dTranspose(
            tf.tensor4d(randomValues(tf.util.sizeFromShape(d.input), i + 1), d.input as [number, number, number, number]),
            tf.tensor4d(randomValues(tf.util.sizeFromShape(d.filter), i + 2), d.filter as [number, number, number, number]),
            d.output as [number, number, number, number],
            2,
            'same',
          ),
      );
    });

    it.skipIf(route === 'portable')('elementwise binary ops and comparisons with broadcasting', async () => {
      const cases = BROADCAST_PAIRS.flatMap(([aShape, bShape]) =>
        [...BINARY_OPS, ...COMPARE_OPS].map((op) => ({ op, aShape, bShape })),
      );
      await expectAllClose(
        cases,
        (c) => `${c.op} [${c.aShape}] [${c.bShape}]`,
        (c, i) => () => {
          // Comparisons get values rounded to halves, so ties (and equality) occur.
          const operand = (shape: number[], seed: number) =>
            (COMPARE_OPS as readonly string[]).includes(c.op) ? tf.round(tf.mul(tensorOf(shape, seed), 2)) : tensorOf(shape, seed);
          const a = operand(c.aShape, i + 1);
          const b = operand(c.bShape, i + 2);
          return tf.cast(tf[c.op](a, b), 'float32');
        },
      );
    });

    it.skipIf(route === 'portable')('unary ops, leakyRelu, select, and reductions', async () => {
      const shapes = [[7, 3], [8, 14, 14, 64]];
      await expectAllClose(
        shapes.flatMap((shape) => UNARY_OPS.map((op) => ({ op, shape }))),
        (c) => `${c.op} [${c.shape}]`,
        (c, i) => () => {
          const x = tensorOf(c.shape, i + 1);
          // sqrt, rsqrt and log of |x| + small, so the comparison is not of NaNs.
          const input = ['sqrt', 'rsqrt', 'log'].includes(c.op) ? tf.add(tf.abs(x), 0.01) : x;
          return tf[c.op](input);
        },
      );
      await expectAllClose(shapes, (shape) => `leakyRelu/select [${shape}]`, (shape, i) => () => {
        const x = tensorOf(shape, i + 1);
        return [tf.leakyRelu(x, 0.1), tf.where(tf.greater(x, 0), x, tf.mul(x, 0.3))];
      });
      await expectAllClose(
        REDUCTIONS,
        (r) => `sum/mean [${r.shape}] axis ${r.axis} keepDims ${r.keepDims}`,
        (r, i) => () => {
          const x = tensorOf(r.shape, i + 1);
          return [tf.sum(x, r.axis, r.keepDims), tf.mean(x, r.axis, r.keepDims)];
        },
      );
    });
  });
}

// Same inputs, same thread count: bit-identical outputs, every call. Each native kernel runs many times
// at the default thread count on inputs big enough to be split across threads; a kernel whose partial
// sums were added in the order threads finish (conv2dBackpropFilter was: 4-5 distinct results in 20
// calls) fails here. What partition a kernel uses may depend on the sizes and the thread count only.
// On a one-core machine (threads() 1) nothing is split and these checks are weaker; the title says which.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNativeKernels, type NativeKernels } from '../../../src/runtime/kernels/native.js';
import { GEMM_BITS_SHAPES } from '../../helpers/gemm-bits.js';
import { randomValues } from './compare.js';

const loaded = loadNativeKernels();
const native = ('kernels' in loaded ? loaded.kernels : undefined) as NativeKernels;
const REPEATS = 20;

/** Runs `call` REPEATS times on fresh outputs and expects every output bitwise equal to the first run's. */
function expectRepeatable(name: string, call: () => (Float32Array | Uint8Array)[]): void {
  const bits = (a: Float32Array | Uint8Array) => (a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : a);
  const first = call().map((out) => bits(out).slice());
  for (let run = 1; run < REPEATS; run++) {
    call().forEach((out, o) => {
      const now = bits(out);
      const differs = now.findIndex((v, i) => v !== first[o][i]);
      expect(differs, `${name}: output ${o} of run ${run} differs from run 0 first at element ${differs}`).toBe(-1);
    });
  }
}

interface Conv {
  batch: number;
  size: number;
  inC: number;
  outC: number;
}

// DCGAN-MNIST discriminator layers at batch 64 (k4 s2 'same'), and a bigger one whose column buffer is
// cut into more tasks than there are partial sums (conv2d.cc's task_count).
const CONVS: Conv[] = [
  { batch: 64, size: 28, inC: 1, outC: 64 },
  { batch: 64, size: 14, inC: 64, outC: 128 },
  { batch: 64, size: 28, inC: 64, outC: 128 },
];

describe.skipIf(!native)(`native kernels are deterministic at ${native?.threads()} threads`, () => {
  for (const blas of ['openblas', 'ganc'] as const) {
    it(`gemm on ${blas} (big enough for OpenBLAS, one product over all threads, and a batch of small ones)`, (ctx) => {
      const before = native.blas();
      if (native.setBlas(blas) !== blas) ctx.skip();
      try {
        for (const [transA, transB, m, n, k, batch] of [
          [false, false, 640, 600, 700, 1],
          [true, false, 257, 130, 3000, 1],
          [false, true, 64, 128, 6272, 1],
          [false, false, 33, 47, 129, 16],
        ] as const) {
          const a = randomValues(m * k * batch, 1);
          const b = randomValues(k * n, 2);
          expectRepeatable(`gemm ${m}x${n}x${k} batch ${batch}`, () => {
            const c = new Float32Array(m * n * batch);
            native.gemm(transA, transB, m, n, k, a, b, c, batch, batch, 1);
            return [c];
          });
        }
      } finally {
        native.setBlas(before);
      }
    });
  }

  for (const c of CONVS) {
    it(`conv2d and both backprops, ${c.batch}x${c.size}x${c.size}x${c.inC} -> ${c.outC}, k4 s2`, () => {
      const out = c.size / 2;
      const geometry = Int32Array.of(c.batch, c.size, c.size, c.inC, 4, 4, c.outC, out, out, 2, 2, 1, 1);
      const x = randomValues(c.batch * c.size * c.size * c.inC, 3);
      const w = randomValues(16 * c.inC * c.outC, 4);
      const dy = randomValues(c.batch * out * out * c.outC, 5);
      expectRepeatable('conv2d', () => {
        const y = new Float32Array(dy.length);
        native.conv2d(geometry, x, w, y);
        return [y];
      });
      expectRepeatable('conv2dBackpropInput', () => {
        const dx = new Float32Array(x.length);
        native.conv2dBackpropInput(geometry, dy, w, dx);
        return [dx];
      });
      expectRepeatable('conv2dBackpropFilter', () => {
        const dw = new Float32Array(w.length);
        native.conv2dBackpropFilter(geometry, x, dy, dw);
        return [dw];
      });
    });
  }

  it('reduceSum, split over outputs and split over the reduction', () => {
    for (const [outer, reduced, inner] of [
      [1, 200_000, 1],
      [1, 4096, 64],
      [3, 50_000, 2],
      [256, 1000, 1],
    ]) {
      const x = randomValues(outer * reduced * inner, 6);
      expectRepeatable(`reduceSum ${outer}x${reduced}x${inner}`, () => {
        const out = new Float32Array(outer * inner);
        native.reduceSum(x, outer, reduced, inner, 1 / reduced, out);
        return [out];
      });
    }
  });

  it('batch norm and its derivatives (sums split over the rows)', () => {
    const [rows, channels] = [64 * 14 * 14, 64];
    const x = randomValues(rows * channels, 9);
    const gamma = randomValues(channels, 10);
    const beta = randomValues(channels, 11);
    expectRepeatable('batchNormTrain', () => {
      const [y, mean, variance] = [new Float32Array(rows * channels), new Float32Array(channels), new Float32Array(channels)];
      native.batchNormTrain(x, rows, channels, gamma, beta, 1e-5, 1 / rows, y, mean, variance);
      return [y, mean, variance];
    });
    const [mean, variance] = [randomValues(channels, 12), randomValues(channels, 13).map((v) => v + 1)];
    const [dy, dmean, dvariance] = [randomValues(rows * channels, 14), randomValues(channels, 15), randomValues(channels, 16)];
    expectRepeatable('batchNormTrainGrad', () => {
      const [dx, dgamma, dbeta] = [new Float32Array(rows * channels), new Float32Array(channels), new Float32Array(channels)];
      native.batchNormTrainGrad(x, dy, rows, channels, mean, variance, gamma, dmean, dvariance, 1e-5, dx, dgamma, dbeta);
      return [dx, dgamma, dbeta];
    });
  });

  it('elementwise kernels and adam', () => {
    const codes = native.opCodes();
    const size = 1 << 17;
    const a = randomValues(size, 7);
    const b = randomValues(size, 8);
    const shape = Int32Array.of(size);
    expectRepeatable('binary, compare, unary, select, adam', () => {
      const sum = new Float32Array(size);
      native.binary(codes.binary.Add, a, Int32Array.of(256, 512), b.subarray(0, 512), Int32Array.of(512), sum, Int32Array.of(256, 512));
      const greater = new Uint8Array(size);
      native.compare(codes.compare.Greater, a, shape, b, shape, greater, shape);
      const tanh = new Float32Array(size);
      native.unary(codes.unary.Tanh, a, tanh, 0);
      const chosen = new Float32Array(size);
      native.select(greater, a, b, chosen);
      const [param, m, v] = [new Float32Array(size), new Float32Array(size), new Float32Array(size)];
      native.adam(a, b, tanh.map(Math.abs), sum, param, m, v, 1e-3, 0.9, 0.999, 1e-8, 7);
      return [sum, greater, tanh, chosen, param, m, v];
    });
  });
});

// ganc's gemm splits its work by sizes and thread count, but every element is the same chain of operations
// however it is split: a product gives the same bits on 1, 2 and 3 threads, whether idle threads spin or sleep
// (each its own process, since the pool's size and spin are fixed at load).
describe.skipIf(!native)('ganc gemm gives the same bits at any thread count', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const script = join(import.meta.dirname, '../../helpers/gemm-bits.ts');
  const hashes = (threads: number, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--import', tsx, script], { encoding: 'utf8', env: { ...process.env, ...env, GANC_THREADS: String(threads) } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim().split('\n');
  };

  it(`${GEMM_BITS_SHAPES.length} products (thin, split by columns, by row blocks, batched) on 1, 2 and 3 threads, spinning or not`, () => {
    const one = hashes(1);
    expect(one).toHaveLength(GEMM_BITS_SHAPES.length);
    expect(hashes(2)).toEqual(one);
    expect(hashes(2, { GANC_SPIN_US: '0' })).toEqual(one);
    expect(hashes(3)).toEqual(one);
  }, 60_000);
});

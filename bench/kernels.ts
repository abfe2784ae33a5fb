// Kernel micro-benchmark: GFLOP/s of sgemm 1024³ and of the DCGAN-MNIST convolutions (batch 64) on
// ganc native, ganc portable, tfjs cpu and tfjs wasm. Best of N runs, because the cores are shared.
//   npx tsx bench/kernels.ts [--reps 5] [--slow-reps 1] [--skip-slow]
// --slow-reps: runs for kernels slower than a second (tfjs cpu's); --skip-slow leaves those out.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGancBackend } from '../src/runtime/kernels/index.js';
import { loadNativeKernels } from '../src/runtime/kernels/native.js';

const argValue = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPS = argValue('--reps', 5);
const SLOW_REPS = argValue('--slow-reps', 1);
const SKIP_SLOW = process.argv.includes('--skip-slow');
const SLOW_MS = 1000;

interface Workload {
  name: string;
  flops: number;
  kernel: string;
  /** Builds the inputs on the current backend and returns the call to time. */
  setup: () => () => tf.Tensor;
}

const random = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);

function conv(name: string, x: number[], filter: number[], dy: number[]): Workload[] {
  const flops = 2 * tf.util.sizeFromShape(dy) * (filter[0] * filter[1] * filter[2]);
  const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
  return [
    {
      name: `${name} forward`,
      flops,
      kernel: 'Conv2D',
      setup: () => {
        const [xs, fs] = [random(x) as tf.Tensor4D, random(filter) as tf.Tensor4D];
        return () => tf.conv2d(xs, fs, 2, 'same');
      },
    },
    {
      name: `${name} backprop filter`,
      flops,
      kernel: 'Conv2DBackpropFilter',
      setup: () => {
        const [xs, dys] = [random(x), random(dy)];
        return () => tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { ...attrs, filterShape: filter } as never) as tf.Tensor;
      },
    },
    {
      name: `${name} backprop input = deconv ${dy.slice(1).join('×')}→${x.slice(1).join('×')}`,
      flops,
      kernel: 'Conv2DBackpropInput',
      setup: () => {
        const [dys, fs] = [random(dy), random(filter)];
        return () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dys, filter: fs }, { ...attrs, inputShape: x } as never) as tf.Tensor;
      },
    },
  ];
}

const WORKLOADS: Workload[] = [
  {
    name: 'sgemm 1024³',
    flops: 2 * 1024 ** 3,
    kernel: 'BatchMatMul',
    setup: () => {
      const [a, b] = [random([1024, 1024]) as tf.Tensor2D, random([1024, 1024]) as tf.Tensor2D];
      return () => tf.matMul(a, b);
    },
  },
  ...conv('conv 28×28×1→14×14×64 k4s2', [64, 28, 28, 1], [4, 4, 1, 64], [64, 14, 14, 64]),
  ...conv('conv 14×14×64→7×7×128 k4s2', [64, 14, 14, 64], [4, 4, 64, 128], [64, 7, 7, 128]),
];

/** Best wall time in ms over the runs, after one warm-up run; undefined if skipped as slow. */
function bestMs(w: Workload): number | undefined {
  return tf.tidy(() => {
    const run = w.setup();
    const once = () => {
      const start = performance.now();
      run().dataSync();
      return performance.now() - start;
    };
    const first = once();
    if (first > SLOW_MS && SKIP_SLOW) return undefined;
    const reps = first > SLOW_MS ? SLOW_REPS - 1 : REPS;
    let best = first;
    for (let i = 0; i < reps; i++) best = Math.min(best, once());
    return best;
  });
}

interface Column {
  title: string;
  prepare: () => Promise<boolean>;
  /** Kernels this column does not run itself (another column's value applies, or none exists). */
  skip?: (w: Workload) => string | undefined;
}

const native = loadNativeKernels();
const setBlas = (name: 'openblas' | 'ganc') => ('kernels' in native ? native.kernels.setBlas(name) : undefined);

const columns: Column[] = [
  {
    title: 'ganc native',
    prepare: async () => (await registerGancBackend({ route: 'native' })).route === 'native' && tf.setBackend('ganc'),
  },
  {
    title: 'native, own gemm',
    prepare: async () => setBlas('ganc') === 'ganc' && (await registerGancBackend({ route: 'native' })) && tf.setBackend('ganc'),
    skip: (w) => (w.kernel === 'BatchMatMul' ? undefined : '(conv always uses own gemm)'),
  },
  {
    title: 'ganc portable',
    prepare: async () => (await registerGancBackend({ route: 'portable' })).route === 'portable' && tf.setBackend('ganc'),
    skip: (w) => (w.kernel === 'Conv2DBackpropFilter' ? undefined : '= tfjs cpu'),
  },
  { title: 'tfjs cpu', prepare: () => tf.setBackend('cpu') },
  {
    title: 'tfjs wasm',
    prepare: () => tf.setBackend('wasm'),
    skip: (w) => (tf.getKernel(w.kernel, 'wasm') ? undefined : 'no kernel'),
  },
];

const cells = new Map<string, string>();
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; best of ${REPS} (slow kernels: ${SLOW_REPS})`);
for (const column of columns) {
  if (!(await column.prepare())) {
    console.log(`${column.title}: not available`);
    continue;
  }
  await tf.ready();
  for (const w of WORKLOADS) {
    const skipped = column.skip?.(w);
    if (skipped) {
      cells.set(`${column.title}|${w.name}`, skipped);
      continue;
    }
    const ms = bestMs(w);
    const cell = ms === undefined ? 'skipped (slow)' : `${((w.flops / ms) * 1e-6).toFixed(1)} (${ms.toFixed(ms < 10 ? 2 : 0)} ms)`;
    cells.set(`${column.title}|${w.name}`, cell);
    console.error(`  ${column.title.padEnd(16)} ${w.name.padEnd(52)} ${cell}`);
  }
}
setBlas('openblas');

const nameWidth = Math.max(...WORKLOADS.map((w) => w.name.length));
const width = 22;
console.log(`\nGFLOP/s (best time) — ${'kernels' in native ? `native blas: ${native.kernels.blas()}, threads: ${native.kernels.threads()}` : native.error}`);
console.log(['kernel'.padEnd(nameWidth), ...columns.map((c) => c.title.padStart(width))].join(' '));
for (const w of WORKLOADS) {
  console.log([w.name.padEnd(nameWidth), ...columns.map((c) => (cells.get(`${c.title}|${w.name}`) ?? 'n/a').padStart(width))].join(' '));
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

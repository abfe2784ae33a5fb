// Kernel micro-benchmark: GFLOP/s of sgemm 1024³ and of the DCGAN-MNIST convolutions (batch 64) on
// ganc native, ganc portable, tfjs cpu and tfjs wasm. Best of N runs, because the cores are shared.
//   npx tsx bench/kernels.ts [--reps 5] [--slow-reps 1] [--skip-slow] [--step]
// --slow-reps: runs for kernels slower than a second (tfjs cpu's); --skip-slow leaves those out.
// --step: instead, times DCGAN-MNIST WGAN and WGAN-GP training steps on ganc and prints the kernel profile.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installGradientFixes } from '../src/runtime/autodiff/index.js';
import { kernelProfile, registerGancBackend } from '../src/runtime/kernels/index.js';
import { GancBackend } from '../src/runtime/kernels/ganc-backend.js';
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
    // The kernel's time is the call's, plus, on ganc's native route (whose kernels run after their call
    // returns), the wait for it. The output is disposed after each run, as in training, so that ganc's buffer
    // pool hands it back: timing a fresh output array each run measured first-touch page faults (about 10 ms
    // for sgemm 1024³'s 4 MB), not gemm.
    const once = () => {
      const start = performance.now();
      const out = run();
      GancBackend.joinKernels();
      const ms = performance.now() - start;
      out.dispose();
      return ms;
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

// One DCGAN-MNIST iteration (batch 64, latent 128): a D step and a G step, gradients only (the
// optimizer update is elementwise and left out), as in the design's runtime facts.
function dcganStep(gp: boolean): () => void {
  const param = <T extends tf.Tensor>(shape: number[], scale: number) => tf.variable(tf.mul(random(shape), scale)) as unknown as tf.Variable & T;
  const G = {
    dense: param([128, 7 * 7 * 128], 0.05), denseBias: param([7 * 7 * 128], 0),
    deconv1: param<tf.Tensor4D>([4, 4, 64, 128], 0.05), bias1: param([64], 0),
    deconv2: param<tf.Tensor4D>([4, 4, 1, 64], 0.05), bias2: param([1], 0),
  };
  const D = {
    conv1: param<tf.Tensor4D>([4, 4, 1, 64], 0.05), bias1: param([64], 0),
    conv2: param<tf.Tensor4D>([4, 4, 64, 128], 0.05), bias2: param([128], 0),
    dense: param([7 * 7 * 128, 1], 0.01), denseBias: param([1], 0),
  };
  const batchNorm = (x: tf.Tensor) => {
    const mean = tf.mean(x, [0, 1, 2]);
    const centered = tf.sub(x, mean);
    return tf.mul(centered, tf.rsqrt(tf.add(tf.mean(tf.square(centered), [0, 1, 2]), 1e-5)));
  };
  const generator = (z: tf.Tensor) => {
    const h0 = tf.reshape(tf.add(tf.matMul(z as tf.Tensor2D, G.dense), G.denseBias), [64, 7, 7, 128]);
    const h1 = tf.relu(batchNorm(h0)) as tf.Tensor4D;
    const h2 = tf.relu(batchNorm(tf.add(tf.conv2dTranspose(h1, G.deconv1, [64, 14, 14, 64], 2, 'same'), G.bias1))) as tf.Tensor4D;
    return tf.tanh(tf.add(tf.conv2dTranspose(h2, G.deconv2, [64, 28, 28, 1], 2, 'same'), G.bias2));
  };
  const discriminator = (x: tf.Tensor) => {
    const h1 = tf.leakyRelu(tf.add(tf.conv2d(x as tf.Tensor4D, D.conv1, 2, 'same'), D.bias1), 0.1) as tf.Tensor4D;
    const h2 = tf.leakyRelu(tf.add(tf.conv2d(h1, D.conv2, 2, 'same'), D.bias2), 0.1);
    return tf.add(tf.matMul(tf.reshape(h2, [64, -1]), D.dense), D.denseBias);
  };
  const dVars = Object.values(D);
  const gVars = Object.values(G);
  const real = random([64, 28, 28, 1]);
  return () =>
    tf.tidy(() => {
      const fake = generator(random([64, 128]));
      const dGrads = tf.variableGrads(() => {
        let loss = tf.sub(tf.mean(discriminator(fake)), tf.mean(discriminator(real)));
        if (gp) {
          const eps = tf.randomUniform([64, 1, 1, 1]);
          const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
          const gradX = tf.grad((x: tf.Tensor) => tf.sum(discriminator(x)))(mixed);
          const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(gradX, [64, -1])), 1), 1e-12));
          loss = tf.add(loss, tf.mul(10, tf.mean(tf.square(tf.sub(norms, 1)))));
        }
        return loss as tf.Scalar;
      }, dVars);
      const gGrads = tf.variableGrads(() => tf.neg(tf.mean(discriminator(generator(random([64, 128]))))) as tf.Scalar, gVars);
      for (const g of [...Object.values(dGrads.grads), ...Object.values(gGrads.grads)]) g.dataSync();
    });
}

if (process.argv.includes('--step')) {
  installGradientFixes();
  const info = await registerGancBackend();
  await tf.setBackend('ganc');
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ganc ${info.route}, blas ${info.blas}; best of ${REPS}`);
  for (const gp of [false, true]) {
    const step = dcganStep(gp);
    step();
    let best = Infinity;
    // CPU time (all threads) is less sensitive than wall time to other people's load on the cores.
    const cpuStart = process.cpuUsage();
    kernelProfile.reset();
    kernelProfile.enable();
    for (let i = 0; i < REPS; i++) {
      const start = performance.now();
      step();
      best = Math.min(best, performance.now() - start);
    }
    kernelProfile.disable();
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000 / REPS;
    console.log(`\nDCGAN-MNIST ${gp ? 'WGAN-GP' : 'WGAN'} iteration: best ${best.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (mean); kernel time over ${REPS} iterations:`);
    console.log(kernelProfile.format().split('\n').slice(0, 24).join('\n'));
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exit(0);
}

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
    const gflops = ms === undefined ? 0 : (w.flops / ms) * 1e-6;
    const cell = ms === undefined ? 'skipped (slow)' : `${gflops < 1 ? gflops.toPrecision(2) : gflops.toFixed(1)} (${ms.toFixed(ms < 10 ? 2 : 0)} ms)`;
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

// One benchmark configuration in this process (spawned by train-bench.ts and peer.ts so that peak RSS
// is per configuration): warm-up iterations, timed iterations, then (on the ganc backend) a few more
// under the kernel profile. Prints one JSON line: a TrainRunResult.
//   npx tsx bench/train-one.ts --spec wgan-gp --backend ganc [--steps 20] [--warmup 3] [--profile-steps 3]
//                              [--batch B] [--width W]   (a variant of the spec: bench-specs.ts, BenchVariant)
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { deferredReadback, selectBackend } from '../src/runtime/backend.js';
import { kernelProfile, type KernelStat } from '../src/runtime/kernels/index.js';
import { dispatchIteration, freshState, readIterations, trainIteration, type TrainingState } from '../src/runtime/train/trainer.js';
import { BENCH_BACKENDS } from './bench-backends.js';
import { benchDataset, benchIR } from './bench-specs.js';
import { summarize, type Timing } from './timing.js';

export interface KernelProfileResult {
  /** Iterations the profile covers; the figures below are per iteration. */
  iterations: number;
  iteration_ms: number;
  /** Time inside kernels; the rest of iteration_ms is ganc's and tfjs's JavaScript (tape, dispatch, GC). */
  kernel_ms: number;
  kernels: KernelStat[];
}

export interface TrainRunResult {
  runner: 'ganc';
  spec: string;
  backend: string;
  /** What the backend reported, e.g. the kernel route and BLAS, or that it fell back. */
  backend_info: Record<string, unknown>;
  batch: number;
  /** The factor on every hidden layer's width (1: the spec as written). */
  width: number;
  /** The data set's name (a stand-in's says so). */
  data: string;
  ndis: number;
  warmup: number;
  steps: number;
  ms: Timing;
  /** CPU time (user + system, all threads) per timed iteration: the work, nearly independent of load. */
  cpu_ms: Timing;
  profile: KernelProfileResult | null;
  peak_rss_mb: number;
  tensors_after: number;
  load: number[];
}

const { values: args } = parseArgs({
  options: {
    spec: { type: 'string' },
    backend: { type: 'string', default: 'ganc' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'profile-steps': { type: 'string', default: '3' },
    batch: { type: 'string' },
    width: { type: 'string', default: '1' },
  },
});

async function backendInfo(name: string): Promise<Record<string, unknown>> {
  const config = BENCH_BACKENDS[name];
  if (!config) throw new Error(`unknown backend ${name}`);
  Object.assign(process.env, config.env);
  const selected = await selectBackend(config.backend);
  if (config.backend !== 'ganc') return { ...selected };
  const { registerGancBackend } = await import('../src/runtime/kernels/index.js');
  return { ...selected, ...(await registerGancBackend()) };
}

function profileIterations(run: () => void, iterations: number): KernelProfileResult {
  kernelProfile.reset();
  kernelProfile.enable();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) run();
  const total = performance.now() - started;
  kernelProfile.disable();
  const kernels = kernelProfile.report().map((k) => ({ ...k, calls: k.calls / iterations, ms: k.ms / iterations, flops: k.flops / iterations }));
  return { iterations, iteration_ms: total / iterations, kernel_ms: kernels.reduce((s, k) => s + k.ms, 0), kernels };
}

async function main(): Promise<void> {
  const steps = Number(args.steps);
  const warmup = Number(args.warmup);
  const profileSteps = Number(args['profile-steps']);
  const info = await backendInfo(args.backend!);
  const width = Number(args.width);
  const { ir, specDir } = benchIR(args.spec!, { batch: args.batch === undefined ? undefined : Number(args.batch), width });
  const dataset = await benchDataset(args.spec!, ir, specDir);
  const state: TrainingState = freshState(ir, 0);
  // On a GPU an iteration is dispatched and its values read asynchronously (the only way there), so an
  // iteration's time includes waiting for the device to finish it.
  const iterate = deferredReadback(BENCH_BACKENDS[args.backend!].backend)
    ? async () => { await readIterations([dispatchIteration(ir, dataset, state)], state); }
    : () => { trainIteration(ir, dataset, state); };

  for (let i = 0; i < warmup; i++) await iterate();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    await iterate();
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  const profile = info.name === 'ganc' && profileSteps > 0 ? profileIterations(() => { trainIteration(ir, dataset, state); }, profileSteps) : null;

  const result: TrainRunResult = {
    runner: 'ganc',
    spec: args.spec!,
    backend: args.backend!,
    backend_info: info,
    batch: ir.data.batch,
    width,
    data: dataset.name,
    ndis: ir.train.ndis,
    warmup,
    steps,
    ms: summarize(times),
    cpu_ms: summarize(cpuTimes),
    profile,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    tensors_after: tf.memory().numTensors,
    load: loadavg(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();

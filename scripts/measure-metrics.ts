// `npx tsx scripts/measure-metrics.ts [--train [--dcgan]]`: the reference values of docs/metrics.md. Each
// quality measure on real data (its floor), on real data spoilt in known ways, and on junk, at the
// evaluation's default sample count; with --train also short trainings of specs/ring8.gan and of a small
// dense MNIST GAN, and with --dcgan 2,000 steps of specs/dcgan.gan, evaluated as `ganc train` evaluates.
// Seeds are fixed, so the numbers are reproducible (training times are not).
import * as tf from '@tensorflow/tfjs-core';
import { compileSource } from '../src/compiler/index.js';
import { selectBackend } from '../src/runtime/backend.js';
import { loadDataset, loadMnistSplits, mixture } from '../src/runtime/data/index.js';
import { classCoverage, defaultClassifier, evaluateSamples, frechetDistance, modeScores, randomProjectionFit } from '../src/runtime/metrics/index.js';
import { Rng } from '../src/runtime/rng.js';
import { readMetrics } from '../src/runtime/run/metrics-log.js';
import { runTraining } from '../src/runtime/train/run-training.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSpec } from '../src/ir/ir.js';

const N = 2000;
const PIXELS = 28 * 28;
const rng = Rng.fromSeed(1234);
const clip = (x: number): number => Math.max(-1, Math.min(1, x));
const row = (label: string, values: Record<string, number>): void =>
  console.log(`| ${label} | ${Object.values(values).map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(v >= 100 ? 1 : 3))).join(' | ')} |`);

await selectBackend('cpu');
const mnistSpec: DataSpec = { kind: 'mnist', batch: 64, fraction: 1, shape: [28, 28, 1] };
const mnist = await loadDataset(mnistSpec, { seed: 0, specDir: '.' });
const { train, heldOut } = loadMnistSplits();
const classifier = defaultClassifier();
const evaluateMnist = async (images: Float32Array, n = N) => evaluateSamples(mnistSpec, mnist, images, n);

/** n digits of the training split drawn with replacement, optionally only of some classes. */
function digits(n: number, classes?: number[]): Float32Array {
  const pool = Array.from({ length: train.count }, (_, i) => i).filter((i) => !classes || classes.includes(train.labels[i]));
  const out = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) {
    const at = pool[rng.int(pool.length)];
    out.set(train.images.subarray(at * PIXELS, (at + 1) * PIXELS), i * PIXELS);
  }
  return out;
}

console.log('## mnist (fd_lenet, class_coverage), n = 2000 unless said');
console.log('| samples | fd_lenet | class_coverage |');
row('2000 other draws of the training digits', await evaluateMnist(mnist.batch(rng, N)));
row('500 other draws of the training digits (n = 500)', await evaluateSamples(mnistSpec, mnist, mnist.batch(rng, 500), 500));
row('the 2000 held-out digits', await evaluateMnist(heldOut.images));
row('training digits + N(0, 0.25²) pixel noise', await evaluateMnist(mnist.batch(rng, N).map((x) => clip(x + 0.25 * rng.normal()))));
row('training digits + N(0, 0.5²) pixel noise', await evaluateMnist(mnist.batch(rng, N).map((x) => clip(x + 0.5 * rng.normal()))));
row('only digits 0-4', await evaluateMnist(digits(N, [0, 1, 2, 3, 4])));
row('only the digit 1 (mode collapse)', await evaluateMnist(digits(N, [1])));
row('uniform noise in [-1, 1]', await evaluateMnist(Float32Array.from({ length: N * PIXELS }, () => 2 * rng.uniform() - 1)));
row('blank images (all -1)', await evaluateMnist(new Float32Array(N * PIXELS).fill(-1)));
console.log(`classifier held-out accuracy: ${(() => {
  const { classes } = classifier.run(heldOut.images, heldOut.count);
  return classes.reduce((ok, c, i) => ok + Number(c === heldOut.labels[i]), 0) / heldOut.count;
})()}`);
console.log(`class coverage of the held-out digits' true labels: ${classCoverage(heldOut.labels)}`);
const perClass = Array.from({ length: 10 }, (_, d) => train.labels.filter((l) => l === d).length);
console.log(`training split per class: ${perClass.join(' ')}; held out per class: ${Array.from({ length: 10 }, (_, d) => heldOut.labels.filter((l) => l === d).length).join(' ')}`);

console.log('\n## fd_randproj on the same digits (as a folder of 28x28x1 images would be)');
const randproj = (a: Float32Array, b: Float32Array) => frechetDistance(randomProjectionFit(a, N, [28, 28, 1]), randomProjectionFit(b, N, [28, 28, 1]));
const reference = mnist.batch(Rng.fromSeed(0x7e57), N);
console.log('| samples | fd_randproj |');
row('other draws of the training digits', { fd: randproj(reference, mnist.batch(rng, N)) });
row('the held-out digits', { fd: randproj(reference, heldOut.images) });
row('+ N(0, 0.5²) pixel noise', { fd: randproj(reference, mnist.batch(rng, N).map((x) => clip(x + 0.5 * rng.normal()))) });
row('only the digit 1', { fd: randproj(reference, digits(N, [1])) });
row('uniform noise', { fd: randproj(reference, Float32Array.from({ length: N * PIXELS }, () => 2 * rng.uniform() - 1)) });
row('blank', { fd: randproj(reference, new Float32Array(N * PIXELS).fill(-1)) });

for (const kind of ['ring8', 'grid25'] as const) {
  const m = mixture(kind);
  const spec: DataSpec = { kind, batch: 64, fraction: 1, shape: [2] };
  const data = await loadDataset(spec, { seed: 0, specDir: '.' });
  const points = (f: () => [number, number]) => Float32Array.from(Array.from({ length: N }, f).flat());
  const near = (k: number, spread: number): [number, number] => [m.modes[k][0] + spread * rng.normal(), m.modes[k][1] + spread * rng.normal()];
  const score = (p: Float32Array) => { const s = modeScores(p, N, m); return { modes: s.modes, hq_share: s.hqShare }; };
  console.log(`\n## ${kind} (modes of ${m.modes.length}, hq_share), n = 2000`);
  console.log('| samples | modes | hq_share |');
  row('real samples', score(data.batch(rng, N)));
  row('real, spread 2x', score(points(() => near(rng.int(m.modes.length), 2 * m.std))));
  row('real, spread 3x', score(points(() => near(rng.int(m.modes.length), 3 * m.std))));
  row('half the modes', score(points(() => near(rng.int(Math.ceil(m.modes.length / 2)), m.std))));
  row('one mode', score(points(() => near(0, m.std))));
  row('N(0, 1): an untrained generator\'s kind of cloud', score(points(() => [rng.normal(), rng.normal()])));
}

if (process.argv.includes('--train')) {
  await selectBackend('ganc');
  const train = async (text: string, steps: number) => {
    const outRoot = mkdtempSync(join(tmpdir(), 'ganc-measure-'));
    const { ir } = compileSource(text, join(outRoot, 'spec.gan'));
    const started = Date.now();
    const result = await runTraining({ outRoot, spec: { text, file: join(outRoot, 'spec.gan'), ir: ir! }, steps });
    return { ...result.quality!, seconds: (Date.now() - started) / 1000 };
  };
  console.log('\n## trained');
  for (const steps of [500, 2000, 5000]) row(`specs/ring8.gan, ${steps} steps`, await train(readFileSync('specs/ring8.gan', 'utf8'), steps));
  const denseMnist = `gan dense_mnist
data mnist batch 64
latent normal 64
generator
  dense 256
  lrelu 0.2
  dense 784
  tanh
  reshape 28 28 1
discriminator
  flatten
  dense 256
  lrelu 0.2
  dense 1
loss nonsaturating
optimizer D adam lr 2e-4 betas 0.5 0.999
optimizer G adam lr 2e-4 betas 0.5 0.999
train steps 3000 seed 0 log 100 sample 100000 checkpoint 100000 eval 100000
`;
  for (const steps of [300, 1000, 3000]) row(`dense MNIST GAN (784-256), ${steps} steps`, await train(denseMnist, steps));
  if (process.argv.includes('--dcgan')) {
    // One run, evaluated every 500 steps: the quality entries of its metrics.jsonl.
    const outRoot = mkdtempSync(join(tmpdir(), 'ganc-measure-'));
    const text = readFileSync('specs/dcgan.gan', 'utf8').replace('train steps 20000 seed 0', 'train steps 2000 seed 0 log 500 eval 500 checkpoint 100000');
    const { ir } = compileSource(text, join(outRoot, 'dcgan.gan'));
    const { runDir } = await runTraining({ outRoot, spec: { text, file: join(outRoot, 'dcgan.gan'), ir: ir! } });
    for (const entry of readMetrics(join(runDir, 'metrics.jsonl')).filter((e) => e.quality)) row(`specs/dcgan.gan, ${entry.step} steps`, entry.quality!);
  }
}
tf.disposeVariables();

// Test fixture for export: two tiny runs trained for real (3 steps on 8×8 grey images, tfjs's cpu
// backend) that between them use every layer, padding case and normalisation export handles, and ganc's
// own outputs on fixed inputs, computed by ganc's code paths (sampling for G, the training steps' D),
// which each format's output must equal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import type { GanIR } from '../../../src/ir/ir.js';
import { rawDiscriminator } from '../../../src/runtime/graph/discriminator.js';
import { applyNetwork, paramName, type ParamTensors } from '../../../src/runtime/graph/network.js';
import { generatorStep } from '../../../src/runtime/graph/steps.js';
import { Rng } from '../../../src/runtime/rng.js';
import { loadLatestCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { fromCheckpoint } from '../../../src/runtime/train/checkpoint-state.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { loadTrainedRun } from '../../../src/runtime/train/trained-run.js';
import { disposeState, latentBatch } from '../../../src/runtime/train/trainer.js';
import { lossDefinition } from '../../../src/terms/losses/index.js';
import { normalizationDefinition } from '../../../src/terms/normalizations/index.js';
import { kernelMatrix, powerIteration, spectrallyNormalized } from '../../../src/terms/normalizations/spectral-normalization.js';
import { compileSpecText } from '../training/compile-spec.js';

/** The outputs must agree to this (max absolute difference). */
export const TOLERANCE = 1e-4;

/**
 * Spectral normalisation (deconv in D too), batch norm in G (running statistics) and in D (batch
 * statistics, on images and on a flat layer), EMA. Deconvolutions: 'same' with an odd total padding
 * (3/2), an even one (4/2) and kernel < stride (1/2); 'valid' with kernel < stride (2/3) and ≥ (2/1).
 * Convolutions: 'same' with asymmetric (3/2) and symmetric (4/2) padding, 'valid' with stride 2.
 */
export const SN_SPEC = `gan export_sn
data folder "images" size 8 channels 1 batch 4
latent normal 4
generator
  dense 32
  reshape 2 2 8
  batchnorm
  relu
  deconv 8 kernel 3 stride 2
  batchnorm
  lrelu 0.2
  deconv 8 kernel 4 stride 2
  relu
  conv 4 kernel 3 stride 2 padding valid
  sigmoid
  deconv 4 kernel 2 stride 3 padding valid
  relu
  conv 4 kernel 4 stride 2
  lrelu 0.1
  deconv 1 kernel 1 stride 2
  tanh
discriminator
  conv 4 kernel 3 stride 2
  lrelu 0.2
  deconv 4 kernel 2 stride 1 padding valid
  conv 8 kernel 3 stride 2 padding valid
  batchnorm
  relu
  flatten
  dense 16
  batchnorm
  tanh
  dense 1
normalize D sn
loss hinge
optimizer D adam lr 1e-2 betas 0.5 0.9
optimizer G adam lr 1e-2 betas 0.5 0.9
train steps 3 seed 1 ema 0.5 log 1 checkpoint 3 sample 100 eval 100
`;

/**
 * Gradient normalisation (the raw f is exported), no batch norm in D, no EMA; batch norm on a flat
 * layer in G; a reshape to two axes and back in D; layers without bias.
 */
export const GN_SPEC = `gan export_gn
data folder "images" size 8 channels 1 batch 4
latent uniform 6
generator
  dense 16 bias false
  batchnorm
  relu
  dense 64
  reshape 8 8 1
  tanh
discriminator
  conv 2 kernel 3 stride 1 bias false
  lrelu 0.1
  deconv 2 kernel 2 stride 2 padding valid
  conv 4 kernel 4 stride 4 padding valid
  flatten
  dense 8
  sigmoid
  reshape 2 4
  flatten
  dense 1
normalize D gn
loss wasserstein
optimizer D adam lr 1e-2 betas 0.5 0.9
optimizer G adam lr 1e-2 betas 0.5 0.9
train steps 3 seed 2 log 1 checkpoint 3 sample 100 eval 100
`;

export interface FixtureRun {
  runDir: string;
  ir: GanIR;
}

function writeGreyPng(path: string, seed: number): void {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) {
    const v = (seed * 29 + i * 7) % 256;
    png.data.set([v, v, v, 255], 4 * i);
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** A scratch folder with the images; the caller removes it (removeScratch). */
export function makeScratch(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ganc-export-${label}-`));
  mkdirSync(join(dir, 'images'));
  for (let i = 0; i < 8; i++) writeGreyPng(join(dir, 'images', `${i}.png`), i);
  return dir;
}

export const removeScratch = (dir: string | undefined): void => {
  if (dir) rmSync(dir, { recursive: true, force: true });
};

export async function trainFixtureRun(scratch: string, text: string): Promise<FixtureRun> {
  const file = join(scratch, `${/^gan (\w+)/.exec(text)![1]}.gan`);
  writeFileSync(file, text);
  const ir = compileSpecText(text, file);
  const result = await runTraining({ outRoot: join(scratch, 'runs'), spec: { text, file, ir }, backend: 'cpu', evalSamples: 8 });
  if (result.diverged || result.step !== 3) throw new Error(`fixture run ${ir.name} did not train 3 steps`);
  return { runDir: result.runDir, ir };
}

/** A NHWC (or flat) float tensor as plain values with its shape. */
export interface Values {
  shape: number[];
  data: Float32Array;
}

const valuesOf = (t: tf.Tensor): Values => ({ shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) });

export interface GancOutputs {
  /** Latents [N, dim]. */
  z: Values;
  /** G(z) as `ganc sample` computes it (EMA weights when `ema`), NHWC. */
  G: Values;
  /** D's input: uniform noise in [-1, 1]. */
  x: Values;
  /** A fake batch as the G step sees it: G(z') in training mode on the raw weights. */
  fake: Values;
  /** D(x) [N, 1] as the training steps compute it (SN's W/σ from one power iteration, batch statistics). */
  D: Values;
  /** f̂(x) [N] under gn/pgn. */
  Dnormalized?: Values;
  /**
   * The G step's loss on the fake batch, lossDefinition.g(D(fake)), by ganc's own generatorStep: a check
   * of an exported D that does not depend on how this file builds D.
   */
  gLoss: number;
}

/** D's kernels as graph/steps.ts builds them: W/σ(W) with one power iteration from the stored u. */
function spectralOverride(ir: GanIR, params: ParamTensors): ParamTensors | undefined {
  if (!normalizationDefinition(ir.normalize).spectral) return undefined;
  const override: ParamTensors = {};
  for (const layer of ir.discriminator.layers) {
    if (layer.kind !== 'dense' && layer.kind !== 'conv' && layer.kind !== 'deconv') continue;
    const kernel = params[paramName(ir.discriminator, layer, 'kernel')];
    const u = params[paramName(ir.discriminator, layer, 'sn_u')] as tf.Tensor1D;
    const vectors = powerIteration(kernelMatrix(kernel, layer.kind === 'deconv'), u);
    override[paramName(ir.discriminator, layer, 'kernel')] = spectrallyNormalized(kernel, layer.kind === 'deconv', vectors.u, vectors.v);
  }
  return override;
}

export function gancOutputs(run: FixtureRun, ema: boolean, n = 16): GancOutputs {
  const { ir, runDir } = run;
  const sampling = loadTrainedRun(runDir, ema);
  const state = fromCheckpoint(ir, loadLatestCheckpoint(runDir));
  let outputs: GancOutputs | undefined;
  try {
    // The values are read out inside; every tensor made here is released.
    tf.tidy(() => {
      const rng = Rng.fromSeed(11);
      const z = latentBatch(ir, rng, n);
      const G = applyNetwork(ir.generator, sampling.generator, z, { training: false });
      const zFake = latentBatch(ir, rng, n);
      const fake = applyNetwork(ir.generator, state.params, zFake, { training: true });
      const x = tf.tensor(rng.fillUniform(new Float32Array(fake.size), -1, 1), fake.shape);
      const kernelOverride = spectralOverride(ir, state.params);
      const f = rawDiscriminator(ir.discriminator, state.params, { training: true, kernelOverride });
      const D = applyNetwork(ir.discriminator, state.params, x, { training: true, kernelOverride });
      const wrap = normalizationDefinition(ir.normalize).wrap;
      const step = generatorStep(ir, state.params, zFake);
      tf.dispose([...Object.values(step.grads), ...Object.values(step.buffers)]);
      outputs = {
        z: valuesOf(z), G: valuesOf(G), x: valuesOf(x), fake: valuesOf(fake), D: valuesOf(D),
        Dnormalized: wrap ? valuesOf(wrap(f)(x)) : undefined,
        gLoss: step.values.loss.dataSync()[0],
      };
    });
  } finally {
    tf.dispose(Object.values(sampling.generator));
    disposeState(state);
  }
  return outputs!;
}

/** What the G step's loss would be with `d` as D's output on the fake batch. */
export function gLossFrom(ir: GanIR, d: ArrayLike<number>): number {
  return tf.tidy(() => lossDefinition(ir.loss).g(tf.tensor1d(Array.from(d))).dataSync()[0]);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The spread of the values: a comparison of near-constant outputs would prove little. */
export function spread(a: ArrayLike<number>): number {
  return Math.max(...Array.from(a)) - Math.min(...Array.from(a));
}

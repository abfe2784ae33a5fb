// Drawing samples from a trained G (EMA weights when the run keeps them), in sampling mode:
// batch norm uses its running statistics, so a sample does not depend on the rest of its batch.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR } from '../../ir/ir.js';
import { applyNetwork, oneHotLabels, type ParamTensors } from '../graph/network.js';
import { Rng } from '../rng.js';
import { latentBatch } from './trainer.js';

/** Fixed noise for sample grids: the same latents at every step of a run (and of its resumption). */
export function fixedNoiseRng(seed: number): Rng {
  return Rng.fromSeed(seed).fork('fixed-noise');
}

/**
 * The classes a conditional G is asked for when none are given: sample i gets class i mod K, so every class
 * is asked for equally often. Undefined for an unconditional G.
 */
export function requestedLabels(ir: GanIR, n: number): Int32Array | undefined {
  const classes = ir.latent.classes;
  return classes === undefined ? undefined : Int32Array.from({ length: n }, (_, i) => i % classes);
}

/** n samples, n × prod(data shape) values, generated in chunks to bound memory (`labels`: see requestedLabels). */
export function generateSamples(ir: GanIR, params: ParamTensors, rng: Rng, n: number, chunk = 256, labels?: Int32Array): Float32Array {
  return generateWithLatents(ir, params, rng, n, chunk, labels).samples;
}

/** The samples and the latent vectors they came from (n × latent dim), for `ganc sample --raw`. */
export function generateWithLatents(
  ir: GanIR, params: ParamTensors, rng: Rng, n: number, chunk = 256, labels = requestedLabels(ir, n),
): { samples: Float32Array; latents: Float32Array } {
  const out = allocate(ir, n);
  for (const c of chunks(ir, params, rng, n, chunk, labels)) {
    store(ir, out, c.start, c.x.dataSync() as Float32Array, c.z.dataSync() as Float32Array);
    tf.dispose([c.z, c.x]);
  }
  return out;
}

/** generateSamples, asynchronously: what a GPU backend needs (it reads tensors back only so). */
export async function generateSamplesAsync(ir: GanIR, params: ParamTensors, rng: Rng, n: number, chunk = 256, labels?: Int32Array): Promise<Float32Array> {
  return (await generateWithLatentsAsync(ir, params, rng, n, chunk, labels)).samples;
}

/** generateWithLatents, asynchronously; the same values. */
export async function generateWithLatentsAsync(
  ir: GanIR, params: ParamTensors, rng: Rng, n: number, chunk = 256, labels = requestedLabels(ir, n),
): Promise<{ samples: Float32Array; latents: Float32Array }> {
  const out = allocate(ir, n);
  for (const c of chunks(ir, params, rng, n, chunk, labels)) {
    store(ir, out, c.start, (await c.x.data()) as Float32Array, (await c.z.data()) as Float32Array);
    tf.dispose([c.z, c.x]);
  }
  return out;
}

function allocate(ir: GanIR, n: number): { samples: Float32Array; latents: Float32Array } {
  return { samples: new Float32Array(n * ir.data.shape.reduce((a, b) => a * b, 1)), latents: new Float32Array(n * ir.latent.dim) };
}

function store(ir: GanIR, out: { samples: Float32Array; latents: Float32Array }, start: number, x: Float32Array, z: Float32Array): void {
  out.samples.set(x, start * ir.data.shape.reduce((a, b) => a * b, 1));
  out.latents.set(z, start * ir.latent.dim);
}

/** The chunks of a generation: each chunk's latents z and samples x (the caller reads and disposes them). */
function* chunks(ir: GanIR, params: ParamTensors, rng: Rng, n: number, chunk: number, labels: Int32Array | undefined): Generator<{ start: number; z: tf.Tensor; x: tf.Tensor }> {
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const z = latentBatch(ir, rng, count);
    const y = labels && ir.latent.classes !== undefined ? oneHotLabels(labels.subarray(start, start + count), ir.latent.classes) : undefined;
    const x = tf.tidy(() => applyNetwork(ir.generator, params, z, { training: false, labels: y }));
    y?.dispose();
    yield { start, z, x };
  }
}

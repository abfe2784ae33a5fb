// The training iteration: `ndis` D steps, one G step, the optimizer updates, EMA of G, weight
// clipping, and the checks that stop a run the moment a loss or term stops being finite.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR } from '../../ir/ir.js';
import type { Dataset } from '../data/dataset.js';
import type { ParamTensors } from '../graph/network.js';
import { labelledDStepValues, type DStepValues, type GStepValues, type WindowState } from '../graph/step-values.js';
import { drawAugment } from '../graph/augment.js';
import {
  augmentInputs, conditionalDiscriminator, discriminatorStep, dStepNeeds, generatorStep, trainableNames, type StepResult,
} from '../graph/steps.js';
import { Rng, type RngState } from '../rng.js';
import { initParams } from './init.js';
import { applyUpdate, emptyOptimizerState, learningRate, replace, type OptimizerState } from './optimizers.js';

export interface TrainingState {
  /** Completed iterations (one iteration = ndis D steps + one G step). */
  step: number;
  /** Every parameter of G and D, trainable and buffers, by name. */
  params: ParamTensors;
  /** Exponential moving average of G's parameters (buffers copied); null when `ema 0`. */
  ema: ParamTensors | null;
  optimizers: { D: OptimizerState; G: OptimizerState };
  windows: WindowState;
  rng: { data: RngState; noise: RngState };
}

/** A loss, term or gradient stopped being finite: training cannot go on. */
export class DivergenceError extends Error {
  constructor(readonly step: number, readonly term: string, readonly value: number) {
    super(`training diverged at step ${step}: ${term} is ${value}`);
  }
}

/** What one iteration computed: the last D step's values, the G step's, both gradient norms, its wall time. */
export interface IterationRecord {
  d: DStepValues;
  g: GStepValues;
  gradNorms: { D: number; G: number };
  stepMs: number;
}

export function freshState(ir: GanIR, seed: number): TrainingState {
  const root = Rng.fromSeed(seed);
  const params = initParams(ir, root.fork('init'));
  return {
    step: 0,
    params,
    ema: ir.train.ema > 0 ? copyGenerator(ir, params) : null,
    optimizers: { D: emptyOptimizerState(), G: emptyOptimizerState() },
    windows: ir.regularizers.map(() => []),
    rng: { data: root.fork('data').getState(), noise: root.fork('noise').getState() },
  };
}

function copyGenerator(ir: GanIR, params: ParamTensors): ParamTensors {
  const out: ParamTensors = {};
  for (const layer of ir.generator.layers) for (const p of layer.params) out[p.name] = tf.keep(params[p.name].clone());
  return out;
}

export function disposeState(state: TrainingState): void {
  for (const t of Object.values(state.params)) t.dispose();
  for (const t of Object.values(state.ema ?? {})) t.dispose();
  for (const o of [state.optimizers.D, state.optimizers.G]) for (const t of Object.values(o.slots)) t.dispose();
}

export function latentBatch(ir: GanIR, rng: Rng, n: number): tf.Tensor2D {
  const values = new Float32Array(n * ir.latent.dim);
  if (ir.latent.dist === 'normal') rng.fillNormal(values);
  else rng.fillUniform(values, -1, 1);
  return tf.tensor2d(values, [n, ir.latent.dim]);
}

/** The fakes' classes, uniform over `latent ... classes K`; undefined for an unconditional G. */
export function labelBatch(ir: GanIR, rng: Rng, n: number): Int32Array | undefined {
  const classes = ir.latent.classes;
  return classes === undefined ? undefined : Int32Array.from({ length: n }, () => rng.int(classes));
}

function labelledBatch(dataset: Dataset, rng: Rng, n: number): { images: Float32Array; labels: Int32Array } {
  if (!dataset.labelledBatch) throw new Error(`internal: ${dataset.name} keeps no labels, but D has a projection`);
  return dataset.labelledBatch(rng, n);
}

function globalNorm(grads: ParamTensors): number {
  return tf.tidy(() => Math.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
}

/** Throws DivergenceError for the first non-finite value, releasing the step's tensors first. */
function ensureFinite(step: number, labelled: [string, number][], stepTensors: tf.Tensor[]): void {
  for (const [name, value] of labelled) {
    if (!Number.isFinite(value)) {
      tf.dispose(stepTensors);
      throw new DivergenceError(step, name, value);
    }
  }
}

/** Runs one iteration in place on `state` and returns what it logged. */
export function trainIteration(ir: GanIR, dataset: Dataset, state: TrainingState, batchSize = ir.data.batch): IterationRecord {
  const started = performance.now();
  const step = state.step + 1;
  const dataRng = Rng.fromState(state.rng.data);
  const noiseRng = Rng.fromState(state.rng.noise);
  const { interp } = dStepNeeds(ir);
  let d: { values: DStepValues; gradNorm: number } | undefined;

  const realLabelled = conditionalDiscriminator(ir);
  const augmented = augmentInputs(ir);
  for (let k = 0; k < ir.train.ndis; k++) {
    const drawn = realLabelled ? labelledBatch(dataset, dataRng, batchSize) : { images: dataset.batch(dataRng, batchSize), labels: undefined };
    const real = tf.tensor(drawn.images, [batchSize, ...dataset.shape]);
    const z = latentBatch(ir, noiseRng, batchSize);
    const eps = interp ? tf.tensor1d(noiseRng.fillUniform(new Float32Array(batchSize))) : undefined;
    // Drawn only by specs that use them, after the rest, so every other spec keeps its random stream.
    const fakeLabels = labelBatch(ir, noiseRng, batchSize);
    const augment = Object.fromEntries(augmented.map((input) => [input, drawAugment(ir.augment!, noiseRng, batchSize)]));
    const result = discriminatorStep(ir, state.params, { real, z, eps, realLabels: drawn.labels, fakeLabels, augment }, state.windows);
    real.dispose();
    z.dispose();
    eps?.dispose();
    // The last D step of the iteration is the one logged.
    d = { values: result.values, gradNorm: commitStep(ir, 'D', step, result, labelledDStepValues(ir, result.values), state) };
    state.windows = result.windows;
    if (ir.clip !== null) clipWeights(state.params, trainableNames(ir, 'D'), ir.clip);
  }

  const z = latentBatch(ir, noiseRng, batchSize);
  const labels = labelBatch(ir, noiseRng, batchSize);
  const augment = ir.augment?.diff ? drawAugment(ir.augment, noiseRng, batchSize) : undefined;
  const g = generatorStep(ir, state.params, z, { labels, augment });
  z.dispose();
  const gGradNorm = commitStep(ir, 'G', step, g, [['loss_G', g.values.loss]], state);
  if (state.ema) updateEma(ir, state.ema, state.params);

  state.rng = { data: dataRng.getState(), noise: noiseRng.getState() };
  state.step = step;
  if (!d) throw new Error('internal: an iteration without a D step (ndis < 1)');
  return { d: d.values, g: g.values, gradNorms: { D: d.gradNorm, G: gGradNorm }, stepMs: performance.now() - started };
}

/**
 * A step's outcome, applied: its labelled values and gradient norm checked (DivergenceError on the
 * first non-finite one), the optimizer update made, its new buffers stored. Returns the gradient norm.
 */
function commitStep<V>(ir: GanIR, net: 'D' | 'G', step: number, result: StepResult<V>, labelled: [string, number][], state: TrainingState): number {
  const gradNorm = globalNorm(result.grads);
  ensureFinite(step, [...labelled, [`grad_norm_${net}`, gradNorm]], [...Object.values(result.grads), ...Object.values(result.buffers)]);
  // `step` counts iterations from 1; the schedule's t from 0.
  const lr = learningRate(ir.optimizers[net], step - 1);
  applyUpdate(ir.optimizers[net], state.params, result.grads, state.optimizers[net], lr);
  tf.dispose(Object.values(result.grads));
  for (const [name, value] of Object.entries(result.buffers)) replace(state.params, name, value);
  return gradNorm;
}

function clipWeights(params: ParamTensors, names: string[], c: number): void {
  for (const name of names) replace(params, name, tf.clipByValue(params[name], -c, c));
}

/** ema ← decay·ema + (1 − decay)·θ for trainable G parameters; buffers are copied. */
function updateEma(ir: GanIR, ema: ParamTensors, params: ParamTensors): void {
  const decay = ir.train.ema;
  for (const layer of ir.generator.layers) {
    for (const p of layer.params) {
      const next = p.trainable
        ? tf.tidy(() => tf.add(tf.mul(decay, ema[p.name]), tf.mul(1 - decay, params[p.name])))
        : params[p.name].clone();
      replace(ema, p.name, next);
    }
  }
}

// The training iteration: `ndis` D steps, one G step, the optimizer updates, EMA of G, weight
// clipping, and the checks that stop a run when a loss or term stops being finite.
// An iteration is dispatched without reading anything back (dispatchIteration: its values stay on the
// device as scalar tensors); reading them (readIterationSync at once on the CPU backends, readIterations
// in batches, asynchronously, on a GPU) checks every value in the order computed and names the first
// step and term that is not finite.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR } from '../../ir/ir.js';
import type { Dataset } from '../data/dataset.js';
import type { ParamTensors } from '../graph/network.js';
import { labelledDStepValues, mapDStepValues, type DStepValues, type GStepValues, type WindowState } from '../graph/step-values.js';
import { readScalars, readScalarsSync } from '../readback.js';
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

/**
 * What one iteration computed: the last D step's values, the G step's, both gradient norms, its wall time
 * (on a GPU: the time to dispatch it, plus, for the iteration a batch of reads ends at, the wait for them).
 */
export interface IterationRecord {
  d: DStepValues;
  g: GStepValues;
  gradNorms: { D: number; G: number };
  stepMs: number;
}

/** An iteration dispatched, its values still on the device. */
export interface PendingIteration {
  step: number;
  /** The last D step's values and the G step's (kept scalars, all of them also in `checks`). */
  d: DStepValues<tf.Scalar>;
  g: GStepValues<tf.Scalar>;
  /** Every value to check, in the order computed: each D step's labelled values and squared gradient norm, then G's. */
  checks: [string, tf.Scalar][];
  dispatchMs: number;
}

/** A labelled value that is a squared gradient norm: read as its square root. */
const GRAD_NORM = /^grad_norm_/;

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
  for (const v of state.windows.flat()) if (typeof v !== 'number') v.dispose();
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

/** Σ‖g‖² over the gradients (its square root, taken when read, is the global norm). */
function squaredGlobalNorm(grads: ParamTensors): tf.Scalar {
  return tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))) as tf.Scalar);
}

/** Runs one iteration in place on `state`, reads what it computed and returns it (throws DivergenceError). */
export function trainIteration(ir: GanIR, dataset: Dataset, state: TrainingState, batchSize = ir.data.batch): IterationRecord {
  return readIterationSync(dispatchIteration(ir, dataset, state, batchSize), state);
}

/** Reads one pending iteration synchronously (free on the CPU backends): its record, or DivergenceError. */
export function readIterationSync(pending: PendingIteration, state: TrainingState): IterationRecord {
  const started = performance.now();
  const tensors = pending.checks.map(([, t]) => t);
  const windowTensors = pendingWindowValues(state);
  const values = readScalarsSync([...tensors, ...windowTensors]);
  return recordsFrom([pending], values, state, performance.now() - started)[0];
}

/**
 * Reads pending iterations (in the order dispatched) in one asynchronous read: their records, or
 * DivergenceError naming the first step and term that is not finite. The window state's values are read
 * with them, so that afterwards `state` holds numbers only (as a checkpoint needs).
 */
export async function readIterations(pending: PendingIteration[], state: TrainingState): Promise<IterationRecord[]> {
  const started = performance.now();
  const tensors = pending.flatMap((p) => p.checks.map(([, t]) => t));
  const windowTensors = pendingWindowValues(state);
  const values = await readScalars([...tensors, ...windowTensors]);
  return recordsFrom(pending, values, state, performance.now() - started);
}

/** The window state's values still on the device. */
function pendingWindowValues(state: TrainingState): tf.Scalar[] {
  return state.windows.flatMap((w) => w.filter((v): v is tf.Scalar => typeof v !== 'number'));
}

/** Pending iterations' records from the values read (checks in order, then the window's tensors); disposes the tensors. */
function recordsFrom(pending: PendingIteration[], values: number[], state: TrainingState, readMs: number): IterationRecord[] {
  let at = 0;
  const records: IterationRecord[] = [];
  let diverged: DivergenceError | null = null;
  for (const p of pending) {
    const read = new Map<tf.Tensor, number>();
    for (const [label, t] of p.checks) {
      const raw = values[at++];
      const value = GRAD_NORM.test(label) ? Math.sqrt(raw) : raw;
      read.set(t, value);
      if (!diverged && !Number.isFinite(value)) diverged = new DivergenceError(p.step, label, value);
    }
    if (!diverged) {
      // The logged D step is the last one.
      const gradNorm = (net: 'D' | 'G'): number => read.get([...p.checks].reverse().find(([label]) => label === `grad_norm_${net}`)![1])!;
      records.push({
        d: mapDStepValues(p.d, (t) => read.get(t)!),
        g: { loss: read.get(p.g.loss)! },
        gradNorms: { D: gradNorm('D'), G: gradNorm('G') },
        stepMs: p.dispatchMs,
      });
    }
    tf.dispose(p.checks.map(([, t]) => t));
  }
  state.windows = state.windows.map((w) => w.map((v) => {
    if (typeof v === 'number') return v;
    v.dispose();
    return values[at++];
  }));
  if (diverged) throw diverged;
  if (records.length > 0) records[records.length - 1].stepMs += readMs;
  return records;
}

/** Disposes what pending iterations hold (a run stopped before reading them). */
export function disposePending(pending: PendingIteration[]): void {
  for (const p of pending) tf.dispose(p.checks.map(([, t]) => t));
}

/** Runs one iteration in place on `state`, reading nothing back: its values stay on the device. */
export function dispatchIteration(ir: GanIR, dataset: Dataset, state: TrainingState, batchSize = ir.data.batch): PendingIteration {
  const started = performance.now();
  const step = state.step + 1;
  const dataRng = Rng.fromState(state.rng.data);
  const noiseRng = Rng.fromState(state.rng.noise);
  const { interp } = dStepNeeds(ir);
  let d: DStepValues<tf.Scalar> | undefined;
  const checks: [string, tf.Scalar][] = [];

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
    // The last D step of the iteration is the one logged; every one is checked.
    d = result.values;
    checks.push(...labelledDStepValues(ir, result.values));
    checks.push(['grad_norm_D', commitStep(ir, 'D', result, state)]);
    replaceWindows(state, result.windows);
    if (ir.clip !== null) clipWeights(state.params, trainableNames(ir, 'D'), ir.clip);
  }

  const z = latentBatch(ir, noiseRng, batchSize);
  const labels = labelBatch(ir, noiseRng, batchSize);
  const augment = ir.augment?.diff ? drawAugment(ir.augment, noiseRng, batchSize) : undefined;
  const g = generatorStep(ir, state.params, z, { labels, augment });
  z.dispose();
  checks.push(['loss_G', g.values.loss]);
  checks.push(['grad_norm_G', commitStep(ir, 'G', g, state)]);
  if (state.ema) updateEma(ir, state.ema, state.params);

  state.rng = { data: dataRng.getState(), noise: noiseRng.getState() };
  state.step = step;
  if (!d) throw new Error('internal: an iteration without a D step (ndis < 1)');
  return { step, d, g: g.values, checks, dispatchMs: performance.now() - started };
}

/** The D step's window state in place of the old, disposing the old values it dropped. */
function replaceWindows(state: TrainingState, next: WindowState): void {
  const kept = new Set(next.flat());
  for (const v of state.windows.flat()) if (typeof v !== 'number' && !kept.has(v)) v.dispose();
  state.windows = next;
}

/**
 * A step's outcome, applied: the optimizer update made, its new buffers stored. Returns the squared
 * gradient norm (checked when read: a non-finite value there, or in a loss or term, stops training).
 */
function commitStep<V>(ir: GanIR, net: 'D' | 'G', result: StepResult<V>, state: TrainingState): tf.Scalar {
  const gradNorm = squaredGlobalNorm(result.grads);
  const step = state.step + 1;
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

// One D step and one G step: losses, regularizer terms and parameter gradients (no update).
// This is where double backprop is built: a formula that needs ∇ₓD, or a gn/pgn D, puts an inner
// gradient inside the loss whose gradient w.r.t. the parameters tf.valueAndGrads then takes.
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltinTerm, DInput, GanIR, Layer, Regularizer } from '../../compiler/ir.js';
import { lower, type GraphPlan } from '../../compiler/lower.js';
import { perSampleNorm } from '../autodiff/ops.js';
import { normalizedDiscriminator, rawDiscriminator, valueAndInputGrad, type DiscriminatorFn } from './discriminator.js';
import { evaluateFormula, type FormulaContext } from './formula.js';
import { LOSSES } from './losses.js';
import { applyNetwork, paramName, type ParamTensors } from './network.js';
import { kernelMatrix, powerIteration, spectrallyNormalized } from './spectral-norm.js';

/** Past values of R for each regularizer (most recent last), at most window − 1 of them. */
export type WindowState = number[][];

export interface DStepInputs {
  real: tf.Tensor;
  /** Latent noise of the fake batch. */
  z: tf.Tensor;
  /** WGAN-GP's ε ~ U(0,1), one per sample; needed only when a formula uses `interp`. */
  eps?: tf.Tensor1D;
}

export interface StepResult {
  /** The loss the optimizer minimises. */
  loss: number;
  /** Named scalars for the log: adversarial loss, every computed term, every regularizer. */
  scalars: Record<string, number>;
  /** Gradients of `loss` w.r.t. every trainable parameter of the stepped network (caller disposes). */
  grads: ParamTensors;
  /** New values of non-trainable state: SN's u (D step), batch-norm running statistics (G step). */
  buffers: ParamTensors;
}

export interface DStepResult extends StepResult {
  windows: WindowState;
}

export function trainableNames(ir: GanIR, net: 'G' | 'D'): string[] {
  const network = net === 'G' ? ir.generator : ir.discriminator;
  return network.layers.flatMap((l) => l.params.filter((p) => p.trainable).map((p) => p.name));
}

function kernelLayers(ir: GanIR): Layer[] {
  return ir.discriminator.layers.filter((l) => l.kind === 'dense' || l.kind === 'conv' || l.kind === 'deconv');
}

/**
 * Spectral normalisation: one power iteration from the stored u for every D kernel. The D step stores
 * the new u; the G step computes the same σ but leaves u where it is.
 */
function spectralIteration(ir: GanIR, params: ParamTensors): Map<string, { u: tf.Tensor1D; v: tf.Tensor1D }> {
  const vectors = new Map<string, { u: tf.Tensor1D; v: tf.Tensor1D }>();
  for (const layer of kernelLayers(ir)) {
    const kernel = paramName(ir.discriminator, layer, 'kernel');
    const u = params[paramName(ir.discriminator, layer, 'sn_u')] as tf.Tensor1D;
    const matrix = kernelMatrix(params[kernel], layer.kind);
    vectors.set(kernel, powerIteration(matrix, u));
    matrix.dispose();
  }
  return vectors;
}

function spectralKernels(ir: GanIR, params: ParamTensors, vectors: Map<string, { u: tf.Tensor1D; v: tf.Tensor1D }>): ParamTensors {
  const out: ParamTensors = {};
  for (const layer of kernelLayers(ir)) {
    const kernel = paramName(ir.discriminator, layer, 'kernel');
    const { u, v } = vectors.get(kernel)!;
    out[kernel] = spectrallyNormalized(params[kernel], layer.kind, u, v);
  }
  return out;
}

/** D as the losses see it, built over the given parameter tensors. */
function discriminatorFor(ir: GanIR, params: ParamTensors, sn: Map<string, { u: tf.Tensor1D; v: tf.Tensor1D }> | null): DiscriminatorFn {
  const kernelOverride = sn ? spectralKernels(ir, params, sn) : undefined;
  return normalizedDiscriminator(rawDiscriminator(ir.discriminator, params, { training: true, kernelOverride }), ir.normalize);
}

function withSubstituted(params: ParamTensors, names: string[], tensors: tf.Tensor[]): ParamTensors {
  const p = { ...params };
  names.forEach((n, i) => { p[n] = tensors[i]; });
  return p;
}

/** Records scalars computed inside a gradient closure so they outlive its tidy scopes. */
class ScalarRecorder {
  private readonly kept: Record<string, tf.Tensor> = {};
  record(name: string, t: tf.Tensor): void {
    if (!(name in this.kept)) this.kept[name] = tf.keep(t.clone());
  }
  read(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, t] of Object.entries(this.kept)) {
      out[name] = t.dataSync()[0];
      t.dispose();
    }
    return out;
  }
}

const plans = new WeakMap<GanIR, GraphPlan>();
/** The graph plan of an IR, lowered once. */
export function planOf(ir: GanIR): GraphPlan {
  let plan = plans.get(ir);
  if (!plan) plans.set(ir, (plan = lower(ir)));
  return plan;
}

/** Key of a regularizer's value in the log; R_t is per regularizer because its window is. */
export const regKey = (reg: Regularizer): string => `reg${reg.index}`;
const rtKey = (ir: GanIR, reg: Regularizer): string =>
  ir.regularizers.filter((r) => r.needs.terms.includes('R_t')).length > 1 ? `R_t.${reg.index}` : 'R_t';

export function discriminatorStep(ir: GanIR, params: ParamTensors, inputs: DStepInputs, windows: WindowState): DStepResult {
  const names = trainableNames(ir, 'D');
  const recorder = new ScalarRecorder();
  const windowed = new Set<number>(); // regularizers whose formula used R_t this step
  const fake = tf.tidy(() => applyNetwork(ir.generator, params, inputs.z, { training: true }));
  const sn = ir.normalize === 'sn' ? spectralIteration(ir, params) : null;
  const gradInputs = new Set<DInput>(planOf(ir).dStep.inputGradients);

  const lossOf = (...trainable: tf.Tensor[]): tf.Scalar => {
    const p = withSubstituted(params, names, trainable);
    const D = discriminatorFor(ir, p, sn);
    const inputOf = memo((input: DInput): tf.Tensor => {
      if (input === 'real') return inputs.real;
      if (input === 'fake') return fake;
      if (!inputs.eps) throw new Error('interp needs eps');
      const e = tf.reshape(inputs.eps, [inputs.eps.shape[0], ...inputs.real.shape.slice(1).map(() => 1)]);
      return tf.add(tf.mul(e, inputs.real), tf.mul(tf.sub(1, e), fake));
    });
    // D and ∇ₓD on the same input come from one forward pass.
    const evaluated = memo((input: DInput) =>
      gradInputs.has(input) ? valueAndInputGrad(D, inputOf(input)) : { value: D(inputOf(input)), grad: null });
    const gradOf = (input: DInput): tf.Tensor => {
      const { grad } = evaluated(input);
      if (!grad) throw new Error(`internal: the graph plan has no ∇ₓD(${input})`);
      return grad;
    };
    const meanNorm = memo((input: DInput) => tf.mean(perSampleNorm(gradOf(input))) as tf.Scalar);
    const R = once((): tf.Scalar => tf.sub(meanNorm('real'), meanNorm('fake')));
    const sharedTerms: Record<Exclude<BuiltinTerm, 'R_t'>, () => tf.Scalar> = {
      gp: once(() => tf.mean(tf.square(tf.sub(perSampleNorm(gradOf('interp')), 1))) as tf.Scalar),
      r1: once(() => tf.mul(0.5, tf.mean(tf.square(perSampleNorm(gradOf('real'))))) as tf.Scalar),
      l2: once(() => tf.addN(kernelLayers(ir).map((l) => tf.sum(tf.square(p[paramName(ir.discriminator, l, 'kernel')])))) as tf.Scalar),
      R,
    };

    const adversarial = LOSSES[ir.loss].d(evaluated('real').value, evaluated('fake').value);
    recorder.record('loss_D_adv', adversarial);
    let total: tf.Scalar = adversarial;
    for (const reg of ir.regularizers) {
      const ctx: FormulaContext = {
        D: (input) => evaluated(input).value,
        grad: gradOf,
        term: (term) => {
          if (term !== 'R_t') {
            const value = sharedTerms[term]();
            recorder.record(term, value);
            return value;
          }
          const current = R();
          recorder.record('R', current);
          windowed.add(reg.index);
          const past = windows[reg.index] ?? [];
          const rt = tf.div(tf.add(current, past.reduce((a, b) => a + b, 0)), past.length + 1) as tf.Scalar;
          recorder.record(rtKey(ir, reg), rt);
          return rt;
        },
      };
      const value = evaluateFormula(reg.formula, ctx) as tf.Scalar;
      recorder.record(regKey(reg), value);
      total = tf.add(total, value);
    }
    return total;
  };

  const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => params[n]));
  const loss = value.dataSync()[0];
  value.dispose();
  fake.dispose();
  const scalars = recorder.read();
  scalars.loss_D = loss;

  const nextWindows: WindowState = ir.regularizers.map((reg) => {
    const past = windows[reg.index] ?? [];
    if (!windowed.has(reg.index) || reg.window <= 1) return [];
    return [...past, scalars.R].slice(-(reg.window - 1));
  });

  const buffers: ParamTensors = {};
  if (sn) {
    for (const layer of kernelLayers(ir)) {
      const { u, v } = sn.get(paramName(ir.discriminator, layer, 'kernel'))!;
      buffers[paramName(ir.discriminator, layer, 'sn_u')] = u;
      v.dispose();
    }
  }
  return { loss, scalars, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), buffers, windows: nextWindows };
}

export function generatorStep(ir: GanIR, params: ParamTensors, z: tf.Tensor): StepResult {
  const names = trainableNames(ir, 'G');
  const recorder = new ScalarRecorder();
  const sn = ir.normalize === 'sn' ? spectralIteration(ir, params) : null;
  const batchStats = new Map<string, { mean: tf.Tensor1D; variance: tf.Tensor1D; momentum: number }>();

  const lossOf = (...trainable: tf.Tensor[]): tf.Scalar => {
    const p = withSubstituted(params, names, trainable);
    const fake = applyNetwork(ir.generator, p, z, {
      training: true,
      onBatchStats: (layer, mean, variance) => {
        batchStats.set(`${ir.generator.name}.${layer.index}.${layer.kind}`, {
          mean, variance, momentum: layer.kind === 'batchnorm' ? layer.momentum : 0,
        });
      },
    });
    const D = discriminatorFor(ir, params, sn);
    const loss = LOSSES[ir.loss].g(D(fake));
    recorder.record('loss_G', loss);
    return loss;
  };

  const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => params[n]));
  const loss = value.dataSync()[0];
  value.dispose();
  if (sn) for (const { u, v } of sn.values()) { u.dispose(); v.dispose(); }

  const buffers: ParamTensors = {};
  for (const [prefix, { mean, variance, momentum }] of batchStats) {
    buffers[`${prefix}.running_mean`] = tf.tidy(() => tf.add(tf.mul(1 - momentum, params[`${prefix}.running_mean`]), tf.mul(momentum, mean)));
    buffers[`${prefix}.running_var`] = tf.tidy(() => tf.add(tf.mul(1 - momentum, params[`${prefix}.running_var`]), tf.mul(momentum, variance)));
    mean.dispose();
    variance.dispose();
  }
  return { loss, scalars: recorder.read(), grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), buffers };
}

/** f computed once per key. */
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k: K) => {
    if (!cache.has(k)) cache.set(k, f(k));
    return cache.get(k)!;
  };
}

/** f computed once. */
function once<V>(f: () => V): () => V {
  let value: V | undefined;
  let done = false;
  return () => {
    if (!done) { value = f(); done = true; }
    return value as V;
  };
}

// One D step and one G step: losses, regularizer terms and parameter gradients (no update).
// This is where double backprop is built: a formula that needs ∇ₓD, or a gn/pgn D, puts an inner
// gradient inside the loss whose gradient w.r.t. the parameters tf.valueAndGrads then takes. What to
// build comes from the IR (each regularizer's `needs`, derived by the checker from the term registry);
// how each term is computed comes from the registry.
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltinTerm, DInput, GanIR } from '../../ir/ir.js';
import { lossDefinition } from '../../terms/losses/index.js';
import { normalizationDefinition } from '../../terms/normalizations/index.js';
import { kernelMatrix, powerIteration, spectrallyNormalized } from '../../terms/normalizations/spectral-normalization.js';
import { termDefinition } from '../../terms/regularizer-terms/index.js';
import type { TermGraph } from '../../terms/term.js';
import { perSampleNorm, valueAndInputGrad, type DiscriminatorFn } from '../../terms/tensor-ops.js';
import { rawDiscriminator } from './discriminator.js';
import { evaluateFormula } from './formula.js';
import { D_INPUTS, AUGMENTED_INPUTS } from '../../terms/inputs.js';
import { applyAugment, type AugmentDraws } from './augment.js';
import { applyNetwork, oneHotLabels, type ParamTensors } from './network.js';
import type { DStepValues, GStepValues, RegularizerValues, WindowState, WindowValue } from './step-values.js';

export interface DStepInputs {
  real: tf.Tensor;
  /** Latent noise of the fake batch. */
  z: tf.Tensor;
  /** WGAN-GP's ε ~ U(0,1), one per sample; needed only when a formula uses `interp`. */
  eps?: tf.Tensor1D;
  /** Classes of the real batch (a D with `projection`) and of the fakes (`latent ... classes K`). */
  realLabels?: Int32Array;
  fakeLabels?: Int32Array;
  /** The augmentation's draws for each input that is augmented in this step (augmentInputs). */
  augment?: Partial<Record<DInput, AugmentDraws>>;
}

export interface StepResult<Values> {
  values: Values;
  /** Gradients of the loss w.r.t. every trainable parameter of the stepped network (caller disposes). */
  grads: ParamTensors;
  /** New values of non-trainable state: SN's u (D step), batch-norm running statistics (G step). */
  buffers: ParamTensors;
}

/** A D step's values are kept scalar tensors (the caller reads and disposes them): no read-back inside a step. */
export interface DStepResult extends StepResult<DStepValues<tf.Scalar>> {
  /** The window state after this step: the old lists' values (shared) plus this step's, kept; older ones dropped. */
  windows: WindowState;
}

/** What the D step builds for the IR's regularizers together: the union of their needs. */
export function dStepNeeds(ir: GanIR): { gradInputs: Set<DInput>; interp: boolean } {
  const gradInputs = new Set<DInput>(ir.regularizers.flatMap((r) => r.needs.gradInputs));
  const interp = ir.regularizers.some((r) => r.needs.gradInputs.includes('interp') || r.needs.dInputs.includes('interp'));
  return { gradInputs, interp };
}

/**
 * The inputs the D step augments, in D_INPUTS order, each with draws of its own: real_aug and fake_aug
 * where a formula uses them; with `diff` also real, fake and interp (when used), the inputs D always sees.
 */
export function augmentInputs(ir: GanIR): DInput[] {
  if (!ir.augment) return [];
  const used = new Set<DInput>(ir.regularizers.flatMap((r) => [...r.needs.gradInputs, ...r.needs.dInputs]));
  const { interp } = dStepNeeds(ir);
  return D_INPUTS.filter((input) => (isAugmentedInput(input) ? used.has(input)
    : ir.augment!.diff && (input !== 'interp' || interp)));
}

const isAugmentedInput = (input: DInput): boolean => AUGMENTED_INPUTS.includes(input);

/** Whether D has a `projection` layer and so takes each sample's class. */
export const conditionalDiscriminator = (ir: GanIR): boolean => ir.discriminator.layers.some((l) => l.kind === 'projection');

export function trainableNames(ir: GanIR, net: 'G' | 'D'): string[] {
  const network = net === 'G' ? ir.generator : ir.discriminator;
  return network.layers.flatMap((l) => l.params.filter((p) => p.trainable).map((p) => p.name));
}

/**
 * One of D's weights that spectral normalisation divides by σ: its parameter, its power-iteration vector's,
 * whether its matrix view swaps its last two axes (a transposed conv's kernel, a projection's embedding) and
 * whether it is an embedding (not a kernel: `l2` leaves it out).
 */
interface DKernel {
  kernel: string;
  snU: string;
  transposed: boolean;
  embedding: boolean;
}

/** Every kernel of D (a residual block has up to three) and a projection's embedding, in parameter order. */
function discriminatorKernels(ir: GanIR): DKernel[] {
  return ir.discriminator.layers.flatMap((layer) => layer.params.filter((p) => p.role === 'kernel' || p.role === 'embedding').map((p) => ({
    kernel: p.name,
    snU: `${p.name.slice(0, -p.role.length)}sn_u`,
    transposed: layer.kind === 'deconv' || p.role === 'embedding',
    embedding: p.role === 'embedding',
  })));
}

type SpectralVectors = Map<string, { u: tf.Tensor1D; v: tf.Tensor1D }>;

/**
 * Spectral normalisation: one power iteration from the stored u for every D kernel. The D step stores
 * the new u; the G step computes the same σ but leaves u where it is.
 */
function spectralIteration(ir: GanIR, params: ParamTensors): SpectralVectors | null {
  if (!normalizationDefinition(ir.normalize).spectral) return null;
  const vectors: SpectralVectors = new Map();
  for (const { kernel, snU, transposed } of discriminatorKernels(ir)) {
    const matrix = kernelMatrix(params[kernel], transposed);
    vectors.set(kernel, powerIteration(matrix, params[snU] as tf.Tensor1D));
    matrix.dispose();
  }
  return vectors;
}

/** D as the losses see it, built over the given parameter tensors; `labels` for a projection D. */
function discriminatorFor(ir: GanIR, params: ParamTensors, sn: SpectralVectors | null): (labels?: tf.Tensor2D) => DiscriminatorFn {
  let kernelOverride: ParamTensors | undefined;
  if (sn) {
    kernelOverride = {};
    for (const { kernel, transposed } of discriminatorKernels(ir)) {
      const { u, v } = sn.get(kernel)!;
      kernelOverride[kernel] = spectrallyNormalized(params[kernel], transposed, u, v);
    }
  }
  return (labels) => {
    const f = rawDiscriminator(ir.discriminator, params, { training: true, kernelOverride, labels });
    return normalizationDefinition(ir.normalize).wrap?.(f) ?? f;
  };
}

/** x ↦ D(T(x)) for an input augmented in this step (its draws fixed), else D. */
function augmented(ir: GanIR, D: DiscriminatorFn, draws: AugmentDraws | undefined): DiscriminatorFn {
  if (!draws || !ir.augment) return D;
  const spec = ir.augment;
  return (x) => D(applyAugment(spec, draws, x));
}

function withSubstituted(params: ParamTensors, names: string[], tensors: tf.Tensor[]): ParamTensors {
  const p = { ...params };
  names.forEach((n, i) => { p[n] = tensors[i]; });
  return p;
}

/** A scalar computed inside a gradient closure, kept so it outlives the tape's tidy scopes. */
const keepScalar = (t: tf.Tensor): tf.Scalar => tf.keep(t.clone()) as tf.Scalar;

/**
 * The mean of the current value and the window's past ones; the past enters as constants. Past values
 * already read are summed as numbers (in double precision, as they always were); any still on the
 * device (a GPU run between its reads) are added as tensors.
 */
function windowMean(current: tf.Scalar, past: WindowValue[]): tf.Scalar {
  const read = past.filter((v): v is number => typeof v === 'number');
  let sum: tf.Tensor = tf.add(current, read.reduce((a, b) => a + b, 0));
  for (const v of past) if (typeof v !== 'number') sum = tf.add(sum, v);
  return tf.div(sum, past.length + 1) as tf.Scalar;
}

export function discriminatorStep(ir: GanIR, params: ParamTensors, inputs: DStepInputs, windows: WindowState): DStepResult {
  const names = trainableNames(ir, 'D');
  const classes = ir.latent.classes;
  const labelsOf = (labels: Int32Array | undefined, what: string): tf.Tensor2D | undefined => {
    if (classes === undefined) return undefined;
    if (!labels) throw new Error(`internal: a conditional GAN's D step without ${what} labels`);
    return oneHotLabels(labels, classes);
  };
  const fakeLabels = labelsOf(inputs.fakeLabels, 'fake');
  const realLabels = conditionalDiscriminator(ir) ? labelsOf(inputs.realLabels, 'real') : undefined;
  const fake = tf.tidy(() => applyNetwork(ir.generator, params, inputs.z, { training: true, labels: fakeLabels }));
  const sn = spectralIteration(ir, params);
  const { gradInputs } = dStepNeeds(ir);
  // Tensors to read after the gradient: the adversarial loss, each term once, each regularizer.
  let adversarialKept: tf.Scalar | null = null;
  const termsKept = new Map<BuiltinTerm, tf.Scalar>();
  const regsKept = ir.regularizers.map(() => ({ value: null as tf.Scalar | null, windowed: new Map<BuiltinTerm, tf.Scalar>() }));

  const lossOf = (...trainable: tf.Tensor[]): tf.Scalar => {
    const p = withSubstituted(params, names, trainable);
    const Dwith = discriminatorFor(ir, p, sn);
    // Fakes (and their augmentation) carry the sampled labels; real and interp inputs the real ones.
    const onFakes = (input: DInput): boolean => input === 'fake' || input === 'fake_aug';
    const D = memo((fakes: boolean) => Dwith(fakes ? fakeLabels : realLabels));
    const inputOf = memo((input: DInput): tf.Tensor => {
      if (input === 'real' || input === 'real_aug') return inputs.real;
      if (input === 'fake' || input === 'fake_aug') return fake;
      if (!inputs.eps) throw new Error('internal: the IR needs interp but the step was given no eps');
      const e = tf.reshape(inputs.eps, [inputs.eps.shape[0], ...inputs.real.shape.slice(1).map(() => 1)]);
      return tf.add(tf.mul(e, inputs.real), tf.mul(tf.sub(1, e), fake));
    });
    // D (through T where the input is augmented: ∇ₓ is then w.r.t. the input before T) and ∇ₓD on the
    // same input come from one forward pass.
    const fnOf = (input: DInput): DiscriminatorFn => {
      const draws = inputs.augment?.[input];
      if (isAugmentedInput(input) && !draws) throw new Error(`internal: the IR needs ${input} but the step was given no draws`);
      return augmented(ir, D(onFakes(input)), draws);
    };
    const evaluated = memo((input: DInput) =>
      gradInputs.has(input) ? valueAndInputGrad(fnOf(input), inputOf(input)) : { value: fnOf(input)(inputOf(input)), grad: null });
    const gradOf = (input: DInput): tf.Tensor => {
      const { grad } = evaluated(input);
      if (!grad) throw new Error(`internal: the IR's needs have no ∇ₓD(${input})`);
      return grad;
    };
    const graph: TermGraph<BuiltinTerm> = {
      D: (input) => evaluated(input).value,
      grad: gradOf,
      gradNorm: memo((input: DInput) => perSampleNorm(gradOf(input))),
      discriminatorKernels: () => discriminatorKernels(ir).filter((k) => !k.embedding).map(({ kernel }) => p[kernel]),
      term: (name) => stepTerm(name),
    };
    const stepTerm = memo((name: BuiltinTerm): tf.Scalar => {
      const term = termDefinition(name);
      if (term.kind !== 'step') throw new Error(`internal: ${name} is windowed and has no step value`);
      const value = term.evaluate(graph);
      termsKept.set(name, keepScalar(value));
      return value;
    });

    const adversarial = lossDefinition(ir.loss).d(evaluated('real').value, evaluated('fake').value);
    adversarialKept = keepScalar(adversarial);
    let total: tf.Scalar = adversarial;
    ir.regularizers.forEach((reg, i) => {
      const kept = regsKept[i];
      const termValue = (name: BuiltinTerm): tf.Scalar => {
        const term = termDefinition(name);
        if (term.kind === 'step') return stepTerm(name);
        const value = windowMean(stepTerm(term.averages), windows[reg.index] ?? []);
        if (!kept.windowed.has(name)) kept.windowed.set(name, keepScalar(value));
        return value;
      };
      const value = evaluateFormula(reg.formula, { ...graph, term: termValue }) as tf.Scalar;
      kept.value = keepScalar(value);
      total = tf.add(total, value);
    });
    return total;
  };

  const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => params[n]));
  tf.dispose([fake, fakeLabels ?? [], realLabels ?? []]);
  const terms: DStepValues<tf.Scalar>['terms'] = Object.fromEntries(termsKept);
  const regularizers: RegularizerValues<tf.Scalar>[] = regsKept.map((kept) => ({
    value: kept.value!,
    windowed: Object.fromEntries(kept.windowed) as RegularizerValues<tf.Scalar>['windowed'],
  }));
  const values: DStepValues<tf.Scalar> = { loss: value, adversarial: adversarialKept!, terms, regularizers };

  const nextWindows: WindowState = ir.regularizers.map((reg, i) => {
    const windowedTerm = Object.keys(regularizers[i].windowed)[0] as BuiltinTerm | undefined;
    const term = windowedTerm && termDefinition(windowedTerm);
    if (!term || term.kind !== 'windowed' || reg.window <= 1) return [];
    return [...(windows[reg.index] ?? []), keepScalar(terms[term.averages]!)].slice(-(reg.window - 1));
  });

  const buffers: ParamTensors = {};
  if (sn) {
    for (const { kernel, snU } of discriminatorKernels(ir)) {
      const { u, v } = sn.get(kernel)!;
      buffers[snU] = u;
      v.dispose();
    }
  }
  return { values, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), buffers, windows: nextWindows };
}

/** The G step's random inputs beyond z: the fakes' labels and, under DiffAugment, the draws for T(fake). */
export interface GStepExtras {
  labels?: Int32Array;
  augment?: AugmentDraws;
}

export function generatorStep(ir: GanIR, params: ParamTensors, z: tf.Tensor, extras: GStepExtras = {}): StepResult<GStepValues<tf.Scalar>> {
  const names = trainableNames(ir, 'G');
  const sn = spectralIteration(ir, params);
  if (ir.latent.classes !== undefined && !extras.labels) throw new Error('internal: a conditional GAN\'s G step without labels');
  const labels = ir.latent.classes !== undefined && extras.labels ? oneHotLabels(extras.labels, ir.latent.classes) : undefined;
  const batchStats = new Map<string, { mean: tf.Tensor1D; variance: tf.Tensor1D; momentum: number }>();

  const lossOf = (...trainable: tf.Tensor[]): tf.Scalar => {
    const p = withSubstituted(params, names, trainable);
    const fake = applyNetwork(ir.generator, p, z, {
      training: true,
      labels,
      onBatchStats: (prefix, momentum, mean, variance) => {
        batchStats.set(prefix, { mean, variance, momentum });
      },
    });
    // DiffAugment: G is trained through D(T(G(z))) as well.
    const D = augmented(ir, discriminatorFor(ir, params, sn)(conditionalDiscriminator(ir) ? labels : undefined), ir.augment?.diff ? extras.augment : undefined);
    return lossDefinition(ir.loss).g(D(fake));
  };

  if (ir.augment?.diff && !extras.augment) throw new Error('internal: a DiffAugment G step without draws');
  const { value: loss, grads } = tf.valueAndGrads(lossOf)(names.map((n) => params[n]));
  labels?.dispose();
  if (sn) for (const { u, v } of sn.values()) { u.dispose(); v.dispose(); }

  const buffers: ParamTensors = {};
  for (const [prefix, { mean, variance, momentum }] of batchStats) {
    buffers[`${prefix}.running_mean`] = tf.tidy(() => tf.add(tf.mul(1 - momentum, params[`${prefix}.running_mean`]), tf.mul(momentum, mean)));
    buffers[`${prefix}.running_var`] = tf.tidy(() => tf.add(tf.mul(1 - momentum, params[`${prefix}.running_var`]), tf.mul(momentum, variance)));
    mean.dispose();
    variance.dispose();
  }
  return { values: { loss }, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), buffers };
}

/** f computed once per key. */
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k: K) => {
    if (!cache.has(k)) cache.set(k, f(k));
    return cache.get(k)!;
  };
}

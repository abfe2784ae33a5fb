// One D step and one G step from given parameters and random inputs, without any update: the
// contract golden tests and outside checks use (`ganc probe`). Both steps start from the same
// parameters. The batch supplies every random input: `real` [B, ...data], `z_d` and `z_g`
// [B, latent], `eps` [B] (when a formula uses interp or gp), and `window.<i>` (past R values of
// regularizer i, oldest first); a conditional GAN's classes `labels_real` (for a projection D), `labels_d`
// and `labels_g` [B] (the fakes' of each step); the augmentation's uniform draws `aug.<input>.<op>`
// [B, draws per sample] for each input the D step augments and, with `diff`, `aug.g.<op>` for the G step.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR } from '../ir/ir.js';
import { dStepScalars, labelledDStepValues, mapDStepValues, regularizerLabel, type DStepValues } from './graph/step-values.js';
import { readFloats, readScalars } from './readback.js';
import { drawsPerSample, type AugmentDraws } from './graph/augment.js';
import { augmentInputs, conditionalDiscriminator, discriminatorStep, dStepNeeds, generatorStep } from './graph/steps.js';
import type { ParamTensors } from './graph/network.js';
import type { NamedTensor, TensorMap } from './safetensors.js';
import { allParams } from './train/init.js';
import { UserError } from '../errors.js';

export class ProbeInputError extends UserError {}

export interface ProbeStep {
  loss: number;
  scalars: Record<string, number>;
  grads: TensorMap;
  buffers: TensorMap;
}

export interface ProbeResult {
  d_step: ProbeStep;
  g_step: ProbeStep;
  /** Window state after the D step: regularizer index → past R values, oldest first. */
  windows: Record<string, number[]>;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function expectTensor(map: TensorMap, name: string, shape: number[], file: string): NamedTensor {
  const t = map[name];
  if (!t) throw new ProbeInputError(`${file}: missing tensor '${name}' (expected shape [${shape}])`);
  if (!sameShape(t.shape, shape)) throw new ProbeInputError(`${file}: tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  return t;
}

async function toTensorMap(tensors: ParamTensors): Promise<TensorMap> {
  const out: TensorMap = {};
  for (const [n, t] of Object.entries(tensors)) out[n] = { shape: t.shape, data: await readFloats(t) };
  return out;
}

/**
 * The D step's values under the probe's JSON names (the contract of the PyTorch fixtures):
 * `loss_D_adv`, each term by name, each windowed term, `reg<i>` for regularizer i, `loss_D`.
 */
function probeScalars(ir: GanIR, values: DStepValues): Record<string, number> {
  const labels = new Map(ir.regularizers.map((reg, i) => [regularizerLabel(reg), `reg${i}`]));
  const renamed = (label: string): string => labels.get(label) ?? (label === 'loss_D_adversarial' ? 'loss_D_adv' : label);
  return Object.fromEntries(labelledDStepValues(ir, values).map(([label, value]) => [renamed(label), value]));
}

/** Asynchronous because a GPU backend reads its results back only so. */
export async function probe(ir: GanIR, paramFile: TensorMap, batchFile: TensorMap, names = { params: 'params', batch: 'batch' }): Promise<ProbeResult> {
  const specs = allParams(ir);
  const known = new Set(specs.map((p) => p.name));
  const unknown = Object.keys(paramFile).find((n) => !known.has(n));
  if (unknown) throw new ProbeInputError(`${names.params}: tensor '${unknown}' is not a parameter of ${ir.name}`);
  const real = batchFile.real;
  if (!real) throw new ProbeInputError(`${names.batch}: missing tensor 'real'`);
  const b = real.shape[0];
  // A batch of 0 samples has no mean: every loss would be NaN or 0 and nothing would be probed.
  if (real.shape.length === 0 || b === 0) {
    throw new ProbeInputError(`${names.batch}: tensor 'real' has shape [${real.shape.join(', ')}]; the batch (its first dimension) must hold at least 1 sample`);
  }
  expectTensor(batchFile, 'real', [b, ...ir.data.shape], names.batch);
  const zD = expectTensor(batchFile, 'z_d', [b, ir.latent.dim], names.batch);
  const zG = expectTensor(batchFile, 'z_g', [b, ir.latent.dim], names.batch);
  const eps = dStepNeeds(ir).interp ? expectTensor(batchFile, 'eps', [b], names.batch) : undefined;
  // Class labels (as floats holding whole numbers) and the augmentation's uniform draws, like eps.
  const labelsOf = (key: string): Int32Array | undefined => {
    if (ir.latent.classes === undefined) return undefined;
    const t = expectTensor(batchFile, key, [b], names.batch);
    return Int32Array.from(t.data, (v) => {
      if (!Number.isInteger(v) || v < 0 || v >= ir.latent.classes!) throw new ProbeInputError(`${names.batch}: '${key}' holds ${v}, not a class 0-${ir.latent.classes! - 1}`);
      return v;
    });
  };
  const realLabels = conditionalDiscriminator(ir) ? labelsOf('labels_real') : undefined;
  const fakeLabels = labelsOf('labels_d');
  const gLabels = labelsOf('labels_g');
  const drawsOf = (key: string): AugmentDraws => ir.augment!.ops.map((op, i) =>
    Float32Array.from(expectTensor(batchFile, `${key}.${i}`, [b, drawsPerSample(op)], names.batch).data));
  const augment = Object.fromEntries(augmentInputs(ir).map((input) => [input, drawsOf(`aug.${input}`)]));
  const gAugment = ir.augment?.diff ? drawsOf('aug.g') : undefined;
  const windows = ir.regularizers.map((reg) => {
    const past = batchFile[`window.${reg.index}`];
    if (!past) return [];
    if (past.shape.length !== 1 || past.shape[0] > reg.window - 1) {
      throw new ProbeInputError(`${names.batch}: 'window.${reg.index}' must be a vector of at most ${reg.window - 1} past R values`);
    }
    return Array.from(past.data);
  });

  const params: ParamTensors = {};
  for (const spec of specs) {
    const t = expectTensor(paramFile, spec.name, spec.shape, names.params);
    params[spec.name] = tf.tensor(t.data, spec.shape);
  }
  try {
    const inputs = {
      real: tf.tensor(real.data, real.shape),
      z: tf.tensor(zD.data, zD.shape),
      eps: eps ? tf.tensor1d(eps.data) : undefined,
      realLabels,
      fakeLabels,
      augment,
    };
    const d = discriminatorStep(ir, params, inputs, windows);
    const zGTensor = tf.tensor(zG.data, zG.shape);
    const g = generatorStep(ir, params, zGTensor, { labels: gLabels, augment: gAugment });
    const dScalars = dStepScalars(d.values);
    const windowTensors = d.windows.flat().filter((v): v is tf.Scalar => typeof v !== 'number');
    const read = await readScalars([...dScalars, g.values.loss, ...windowTensors]);
    const valueOf = new Map<tf.Tensor, number>([...dScalars, g.values.loss, ...windowTensors].map((t, i) => [t, read[i]]));
    const dValues = mapDStepValues(d.values, (t) => valueOf.get(t)!);
    const gLoss = valueOf.get(g.values.loss)!;
    const result: ProbeResult = {
      d_step: { loss: dValues.loss, scalars: probeScalars(ir, dValues), grads: await toTensorMap(d.grads), buffers: await toTensorMap(d.buffers) },
      g_step: { loss: gLoss, scalars: { loss_G: gLoss }, grads: await toTensorMap(g.grads), buffers: await toTensorMap(g.buffers) },
      windows: Object.fromEntries(d.windows.map((w, i) => [String(i), w.map((v) => (typeof v === 'number' ? v : valueOf.get(v)!))])),
    };
    tf.dispose([inputs.real, inputs.z, inputs.eps ?? [], zGTensor, ...dScalars, g.values.loss, ...windowTensors,
      ...Object.values(d.grads), ...Object.values(d.buffers), ...Object.values(g.grads), ...Object.values(g.buffers)]);
    return result;
  } finally {
    tf.dispose(Object.values(params));
  }
}

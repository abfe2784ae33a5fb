// What a spec costs before it runs: documented maxima for the numbers that size a training step
// (batch, ndis, window, image size, ...) and an estimate of the memory one training step holds, which
// the checker holds to a budget. Without these, `batch 1e9` or `dense 100000` checked fine and then
// allocated until the machine gave out, and `ndis 1e9` never finished step 1. docs/language.md
// ("Limits") lists every number here; keep the two in step.
import type { AugmentSpec, DataSpec, GanIR, Layer, Network, OptimizerSpec, Regularizer } from '../ir/ir.js';
import { normalizationDefinition } from '../terms/normalizations/index.js';

/** The largest value each of these settings may take. */
export const LIMITS = {
  /** Samples per batch (`data ... batch N`, `ganc train --batch N`). */
  batch: 65_536,
  /** D steps per G step (`train ndis N`). */
  ndis: 100,
  /** Steps a windowed term averages over (`reg ... window N`). */
  window: 10_000,
  /** Side length folder images are resized to (`data folder ... size N`). */
  imageSize: 1024,
  /** `reg` statements in one spec. */
  regs: 64,
  /** Layers in one network. */
  layers: 256,
  /** Characters in a spec's name (`gan NAME`, else the file's name), which starts its run directories' names. */
  nameLength: 100,
  /** Samples `ganc sample --n` draws into one picture. */
  sampleCount: 10_000,
  /** Generated (and real) samples `ganc eval --n` compares. */
  evalSamples: 50_000,
  /** Values in one tensor (a parameter, or one layer's output for the whole batch): what a typed array holds. */
  tensorElements: 2 ** 31 - 1,
} as const;

/** The memory a spec may need unless `--memory-budget` says otherwise. */
export const DEFAULT_MEMORY_BUDGET = 8 * 2 ** 30;

const FLOAT_BYTES = 4;

/** The parts of the IR the estimate reads: the draft's, once the rules that write them have run. */
export interface ResourceParts {
  data: Pick<DataSpec, 'batch' | 'shape'>;
  generator: Network;
  discriminator: Network;
  regularizers: Pick<Regularizer, 'needs'>[];
  normalize: GanIR['normalize'];
  optimizers: GanIR['optimizers'];
  /** EMA of G's weights: one more copy of them. */
  ema: number;
  /** The `augment` statement: D's passes on real_aug/fake_aug, and with `diff` T inside every pass of D. */
  augment?: AugmentSpec;
}

export interface MemoryEstimate {
  /** Parameters, their EMA copy, optimizer slots and gradients. */
  stateBytes: number;
  /** Layer outputs kept for backprop in the larger of the D and G steps, and the data batch. */
  activationBytes: number;
  totalBytes: number;
  /** The layer whose outputs take the most memory, for messages. */
  largestLayer?: { network: 'G' | 'D'; layer: Layer; bytes: number };
}

const elements = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

type DInputName = Regularizer['needs']['dInputs'][number];

/**
 * How many tensors of a layer's output size the tape keeps per forward pass: a weighted layer's
 * product and its bias sum, batch norm's centred, normalised, scaled and shifted values, a residual
 * block's two convolutions with their norms and activations; reshape and flatten are views. A kind not
 * listed counts as a weighted layer.
 */
const TENSORS_KEPT: Record<string, number> = {
  dense: 2, conv: 2, deconv: 2, batchnorm: 4, lrelu: 2, relu: 1, tanh: 1, sigmoid: 1, reshape: 0, flatten: 0,
  upsample: 1, avgpool: 1, sumpool: 1, resblock: 10, cbatchnorm: 5, projection: 1,
};
const tensorsKept = (layer: Layer): number => TENSORS_KEPT[layer.kind] ?? 2;

/** Values one forward pass of a network keeps per sample (its input included). */
function perSampleActivations(network: Network): number {
  return elements(network.inShape) + network.layers.reduce((sum, layer) => sum + tensorsKept(layer) * elements(layer.outShape), 0);
}

/**
 * Values of the image's size the tape keeps per sample for each augmentation (graph/augment.ts): a flip's
 * transpose, product and transpose back; a translation's product along H and the three along W; cutout's
 * mask and product; colour's brightness, saturation and contrast with their centred and scaled values.
 */
const AUGMENT_TENSORS_KEPT: Record<AugmentSpec['ops'][number]['kind'], number> = { flip: 3, translate: 4, cutout: 2, color: 7 };

/** Values T keeps per sample on one pass: its tensors, and the per-sample 0/1 selection matrices of flip and translate. */
function perSampleAugmentation(augment: AugmentSpec, shape: readonly number[]): number {
  const [height, width] = shape;
  return augment.ops.reduce((sum, op) => sum + AUGMENT_TENSORS_KEPT[op.kind] * elements(shape)
    + (op.kind === 'flip' ? width * width : op.kind === 'translate' ? height * height + width * width : 0), 0);
}

/** Optimizer slots per trainable value (optimizers.ts): Adam's m and v, one buffer for momentum SGD and RMSprop. */
function slotsPerParameter(spec: OptimizerSpec): number {
  if (spec.kind === 'sgd') return spec.momentum === 0 ? 0 : 1;
  return spec.kind === 'rmsprop' ? 1 : 2;
}

/**
 * The memory one training iteration holds at its peak, as an estimate for refusing what cannot run
 * (not a promise): state = parameters + EMA of G + optimizer slots + gradients; activations = what the
 * tape keeps through the larger step (every pass of D, augmented ones with T's tensors), doubled for the
 * gradients flowing back through it, tripled where D's gradient w.r.t. its input is itself differentiated
 * (gradient penalties, R1, R_t, gn/pgn).
 */
export function estimateMemory(parts: ResourceParts): MemoryEstimate {
  const { data, generator: G, discriminator: D } = parts;
  const params = (net: Network, trainable?: boolean) =>
    net.layers.reduce((sum, l) => sum + l.params.filter((p) => trainable === undefined || p.trainable === trainable).reduce((s, p) => s + elements(p.shape), 0), 0);
  const all = params(G) + params(D);
  const trainableG = params(G, true);
  const trainableD = params(D, true);
  const state = all + (parts.ema > 0 ? params(G) : 0)
    + slotsPerParameter(parts.optimizers.G) * trainableG + slotsPerParameter(parts.optimizers.D) * trainableD
    + trainableG + trainableD;

  const normalizationDoubles = normalizationDefinition(parts.normalize).wrap !== undefined;
  const doubleBackprop = normalizationDoubles || parts.regularizers.some((r) => r.needs.gradInputs.length > 0);
  const uses = (input: DInputName) => parts.regularizers.some((r) => r.needs.gradInputs.includes(input) || r.needs.dInputs.includes(input));
  const usesInterp = uses('interp');
  const actG = perSampleActivations(G);
  const actD = perSampleActivations(D);
  // D's passes in the D step: real and fake, interp, and T(x_real), T(x_fake) where formulas use them
  // (cr, bcr, D(real_aug) ...). Each augmented pass also keeps T's tensors: real_aug and fake_aug always,
  // and with `diff` (DiffAugment) every pass, in both steps.
  const augmentedInputs = (uses('real_aug') ? 1 : 0) + (uses('fake_aug') ? 1 : 0);
  const dPasses = 2 + (usesInterp ? 1 : 0) + augmentedInputs;
  const augT = parts.augment ? perSampleAugmentation(parts.augment, data.shape) : 0;
  const diff = parts.augment?.diff === true;
  const dStep = actG + (dPasses * actD + (diff ? dPasses : augmentedInputs) * augT) * (doubleBackprop ? 3 : 1);
  const gStep = actG + (actD + (diff ? augT : 0)) * (normalizationDoubles ? 3 : 1);
  const batchValues = data.batch * elements(data.shape) * (usesInterp ? 2 : 1);
  const activations = data.batch * 2 * Math.max(dStep, gStep) + batchValues;

  // A layer's share: its outputs for the batch (kept and their gradients), and its parameters with their
  // gradients, slots and EMA copy.
  let largestLayer: MemoryEstimate['largestLayer'];
  for (const [network, net] of [['G', G], ['D', D]] as const) {
    const copies = 2 + slotsPerParameter(parts.optimizers[network]) + (network === 'G' && parts.ema > 0 ? 1 : 0);
    for (const layer of net.layers) {
      const own = layer.params.reduce((s, p) => s + elements(p.shape), 0);
      const bytes = FLOAT_BYTES * (2 * data.batch * tensorsKept(layer) * elements(layer.outShape) + copies * own);
      if (!largestLayer || bytes > largestLayer.bytes) largestLayer = { network, layer, bytes };
    }
  }
  return {
    stateBytes: FLOAT_BYTES * state,
    activationBytes: FLOAT_BYTES * activations,
    totalBytes: FLOAT_BYTES * (state + activations),
    largestLayer,
  };
}

/** The first tensor of a network too large for one typed array: a parameter, or a layer's output for the whole batch. */
export function oversizedTensor(network: Network, batch: number): { layer: Layer; what: string; elements: number } | undefined {
  for (const layer of network.layers) {
    for (const p of layer.params) {
      const n = elements(p.shape);
      if (n > LIMITS.tensorElements) return { layer, what: `its ${p.role} [${p.shape.join(', ')}]`, elements: n };
    }
    const n = batch * elements(layer.outShape);
    if (n > LIMITS.tensorElements) return { layer, what: `its output for a batch of ${batch} [${[batch, ...layer.outShape].join(', ')}]`, elements: n };
  }
  return undefined;
}

/** Sizes as people read them: `512 MiB`, `1.5 GiB`. */
export function formatMemory(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toPrecision(3)} ${units[unit]}`;
}

/** `8G`, `512M`, `1.5GiB`, `1000000000` (bytes) → bytes; undefined when it does not read as a size. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const scale = 1024 ** ' kmgtp'.indexOf(m[2].toLowerCase() || ' ');
  const bytes = Math.round(Number(m[1]) * scale);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

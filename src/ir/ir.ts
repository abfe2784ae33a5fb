// The checked IR: the plain-JSON contract between the checker and the runtime.
// Every name is resolved, every default filled in, every layer's shape inferred.
// `ir.schema.json` describes exactly these types; ajv validates against it.

import type { Expr } from '../terms/expr.js';
import type { DInput } from '../terms/inputs.js';
import type { LossKind } from '../terms/losses/index.js';
import type { Normalization } from '../terms/normalizations/index.js';
import type { BuiltinTerm } from '../terms/regularizer-terms/index.js';

export const IR_VERSION = 2;

/** A shape without the batch dimension, e.g. [28, 28, 1] (NHWC) or [2]. */
export type Shape = number[];

export type NetworkName = 'G' | 'D';
export type DataKind = 'mnist' | 'mnist-idx' | 'ring8' | 'grid25' | 'folder' | 'cifar10';
export type LatentDist = 'normal' | 'uniform';
export type Padding = 'same' | 'valid';

export interface DataSpec {
  kind: DataKind;
  batch: number;
  /** Share of the dataset used (limited-data runs); a fixed, seeded subset. 1 = all. */
  fraction: number;
  /** Shape of one sample, without the batch dimension. */
  shape: Shape;
  /** Only for `folder`, `mnist-idx` and `cifar10`: the folder path as written in the spec. */
  path?: string;
  /** Only for `folder`: random horizontal flips. */
  flip?: boolean;
  /**
   * Keep each image's class label with the data set: `mnist` and `cifar10` (0-9, 10 classes); `folder` with
   * `labels from-subfolders` (the immediate subfolders, sorted by name, are the classes 0, 1, ...).
   */
  labels?: boolean;
}

export interface LatentSpec {
  dist: LatentDist;
  dim: number;
  /**
   * `classes K`: a class-conditional G. Each fake gets a label drawn uniformly from 0..K−1 (seeded), which
   * its `cbatchnorm` layers and D's `projection` see.
   */
  classes?: number;
}

/**
 * `augment ...`: the augmentation T, applied per sample in the order written, each with its own random
 * draws. Without `diff` only the terms that ask for it (D(real_aug), D(fake_aug): cr, bcr) see T; with
 * `diff` (DiffAugment) every input of D is T(x) with fresh draws, differentiably, in D and G steps alike.
 */
export interface AugmentSpec {
  ops: AugmentOpSpec[];
  diff: boolean;
}

/**
 * flip: mirror left-right with probability ½; translate: shift by a whole number of pixels in
 * [−round(ratio·side), round(ratio·side)] per axis, zeros shifted in; cutout: zero a square of side
 * round(ratio·side) at a uniform centre (clipped at the border); color: DiffAugment's brightness
 * (+U(−½,½)), saturation (×U(0,2) around the per-pixel channel mean) and contrast (×U(½,1½) around the image mean).
 */
export type AugmentOpSpec =
  | { kind: 'flip' }
  | { kind: 'translate'; ratio: number }
  | { kind: 'cutout'; ratio: number }
  | { kind: 'color' };

/** What a parameter is for; `buffer`s are state that no optimizer touches. */
export type ParamRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'running_mean' | 'running_var' | 'sn_u' | 'embedding';

/**
 * How a parameter starts. `uniform_fan_in`: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (PyTorch's default for
 * Linear/Conv weights and biases); `ones`/`zeros`: constants; `normal_unit`: N(0,1) then L2-normalised
 * (the power-iteration vector of spectral normalisation). The `init` statement's schemes, as
 * torch.nn.init has them: `kaiming_normal`: N(0, 2/fanIn) (kaiming_normal_ with its defaults);
 * `xavier_uniform`: U(±sqrt(6/(fanIn+fanOut))) (gain 1); `normal`: N(0, std²); `orthogonal`: the kernel
 * viewed as a matrix (all axes but the last) × (last axis) has orthonormal columns, or rows when it is
 * wider than tall (orthogonal_ with gain 1 on PyTorch's layout). Fans follow PyTorch's reading of its
 * own weight layouts (a transposed convolution's fanIn is out·kh·kw).
 */
export type ParamInit =
  | { kind: 'uniform_fan_in'; fanIn: number }
  | { kind: 'ones' }
  | { kind: 'zeros' }
  | { kind: 'normal_unit' }
  | { kind: 'kaiming_normal'; fanIn: number }
  | { kind: 'xavier_uniform'; fanIn: number; fanOut: number }
  | { kind: 'normal'; std: number }
  | { kind: 'orthogonal' };

export interface ParamSpec {
  /**
   * Globally unique: `<network>.<layerIndex>.<layerKind>.<role>`, e.g. `D.0.conv.kernel`; a residual
   * block's parameters name their part too: `D.0.resblock.conv1.kernel`, `G.2.resblock.bn1.gamma`.
   */
  name: string;
  role: ParamRole;
  shape: Shape;
  /** The meaning of each axis, e.g. ['kh', 'kw', 'in', 'out']. */
  layout: string[];
  /** Updated by the optimizer (false for running statistics and SN's u vector). */
  trainable: boolean;
  init: ParamInit;
}

interface LayerBase {
  index: number;
  inShape: Shape;
  outShape: Shape;
  params: ParamSpec[];
}

/** kernel [in, out], bias [out] unless `bias: false`. Input must be rank 1. */
export interface DenseLayer extends LayerBase { kind: 'dense'; units: number; bias: boolean }
/** kernel [kh, kw, in, out] (tfjs conv2d filter layout), bias [out] unless `bias: false`. NHWC. */
export interface ConvLayer extends LayerBase {
  kind: 'conv'; filters: number; kernel: number; stride: number; padding: Padding; bias: boolean;
}
/**
 * Transposed convolution: kernel [kh, kw, out, in] (tfjs conv2dTranspose layout), bias [out].
 * 'same': out = in * stride; 'valid': out = (in - 1) * stride + kernel.
 */
export interface DeconvLayer extends LayerBase {
  kind: 'deconv'; filters: number; kernel: number; stride: number; padding: Padding; bias: boolean;
}
export interface ReshapeLayer extends LayerBase { kind: 'reshape'; shape: Shape }
/** Row-major (NHWC) flatten. */
export interface FlattenLayer extends LayerBase { kind: 'flatten' }
/**
 * Batch statistics in training (biased variance), running statistics for sampling.
 * Normalises over every axis but the last. gamma/beta [C]; running_mean/running_var [C].
 * Running update: r = (1 - momentum) * r + momentum * batch (unbiased variance), PyTorch's convention.
 */
export interface BatchNormLayer extends LayerBase { kind: 'batchnorm'; eps: number; momentum: number }
/**
 * Class-conditional batch norm (de Vries et al. 2017; Miyato & Koyama 2018): batch norm without its own
 * affine, then γ_y·x̂ + β_y with per-class gamma/beta [classes, C] (rows start at 1 and 0) picked by the
 * sample's label. Running statistics [C] as batchnorm's.
 */
export interface CBatchNormLayer extends LayerBase { kind: 'cbatchnorm'; eps: number; momentum: number; classes: number }
/**
 * The projection discriminator's inner product (Miyato & Koyama 2018): passes its input φ [C] on unchanged
 * and adds ⟨embed[y], φ⟩ to D's output (the network's last layer, `dense 1`, follows it). embedding
 * [classes, C], xavier-uniform as in mimicry's SNGAN projection D; under `normalize D sn` divided by its σ with
 * a power-iteration vector `sn_u` [classes] of its own, like the authors' SNEmbedID and mimicry's SNEmbedding.
 */
export interface ProjectionLayer extends LayerBase { kind: 'projection'; classes: number }
export interface ActivationLayer extends LayerBase { kind: 'relu' | 'tanh' | 'sigmoid' }
export interface LeakyReluLayer extends LayerBase { kind: 'lrelu'; alpha: number }
/** Nearest-neighbour upsampling: each pixel repeated factor×factor times. [H, W, C] → [H·f, W·f, C]. */
export interface UpsampleLayer extends LayerBase { kind: 'upsample'; factor: number }
/** Average pooling over non-overlapping size×size windows; H and W must be multiples of size. */
export interface AvgPoolLayer extends LayerBase { kind: 'avgpool'; size: number }
/** Global sum pooling: [H, W, C] → [C], the sum over H and W (SNGAN's ResNet D before its last dense). */
export interface SumPoolLayer extends LayerBase { kind: 'sumpool' }
/**
 * The residual block of SNGAN's CIFAR-10 ResNet (Miyato et al. 2018, appendix; the chainer code
 * sngan_projection and its PyTorch port mimicry): out = residual(x) + shortcut(x), with
 *   residual: [BN] → ReLU → [up ×2] → conv3×3 (→ hidden) → [BN] → ReLU → conv3×3 (→ filters) → [avgpool 2]
 *   shortcut: [up ×2 / avgpool 2] with a 1×1 conv (with bias) when `shortcut` is 'conv', else x itself.
 * Every conv has 'same' padding and a bias. Parameters: `<net>.<i>.resblock.<part>.<role>` with parts
 * bn1, conv1, bn2, conv2, shortcut (kernels [kh, kw, in, out]).
 */
export interface ResBlockLayer extends LayerBase {
  kind: 'resblock';
  /** up: ×2 nearest before the first conv; down: 2×2 average pooling after the second; same: neither. */
  resample: 'up' | 'down' | 'same';
  filters: number;
  /** Channels between the two 3×3 convolutions (G: filters; D: the input's, except in D's first block). */
  hidden: number;
  /** Batch norm before each ReLU of the residual path (the generator's block); null in the discriminator's. */
  batchnorm: { eps: number; momentum: number } | null;
  /** ReLU before the first conv; false only in D's first block (SNGAN's optimized block sees the image). */
  preActivation: boolean;
  /** 'conv': the learnable 1×1 shortcut, present exactly when the block changes the shape. */
  shortcut: 'conv' | 'identity';
}

export type Layer =
  | DenseLayer | ConvLayer | DeconvLayer | ReshapeLayer | FlattenLayer
  | BatchNormLayer | CBatchNormLayer | ProjectionLayer | ActivationLayer | LeakyReluLayer
  | UpsampleLayer | AvgPoolLayer | SumPoolLayer | ResBlockLayer;
export type LayerKind = Layer['kind'];

export interface Network {
  name: NetworkName;
  inShape: Shape;
  outShape: Shape;
  layers: Layer[];
}

// ---- Regularizer formulas -------------------------------------------------------------------
// The formula language's words (terms, functions, losses, normalizations) are defined by the registry
// in src/terms; the IR names them by the registry's names.

export type { BinaryOp, Expr, ValueType } from '../terms/expr.js';
export type { UnaryFn, ReduceFn } from '../terms/functions.js';
export type { DInput } from '../terms/inputs.js';
export type { BuiltinTerm } from '../terms/regularizer-terms/index.js';
export type { LossKind } from '../terms/losses/index.js';
export type { Normalization } from '../terms/normalizations/index.js';

export interface Regularizer {
  /** Position among the spec's `reg` lines; also the key of its window state. */
  index: number;
  /** `reg NAME = ...`: its label in logs and the report instead of the formula's text. */
  name?: string;
  /** Canonical text of the formula, e.g. `lambda * R_t ^ 3`; used in logs and metric names. */
  text: string;
  formula: Expr;
  /** Number of iterations R_t averages over (1 = the current R only). */
  window: number;
  /**
   * What the D step must build for this formula, derived by the checker from the formula and the
   * term registry (a term's own needs included); the runtime builds exactly this.
   */
  needs: {
    /** Inputs whose ∇ₓD is built: each forces a double backprop. */
    gradInputs: DInput[];
    /** Inputs on which the formula evaluates D directly. */
    dInputs: DInput[];
    /** Every built-in term computed for it, with the terms those are built from. */
    terms: BuiltinTerm[];
  };
}

/**
 * The learning rate as a function of the iteration t = 0, 1, ... (every D step of an iteration and its G
 * step share it), with T = `steps` and W = `warmup`: lr·(t+1)/W while t < W, then lr; with `decay
 * linear`, lr·(1 − (t−W)/(T−W)) from t = W on, which reaches 0 at t = T and stays there (PyTorch's
 * LambdaLR(1 − t/T) stepped once per iteration, as in mimicry and pytorch-gan-collections).
 */
export interface LrSchedule {
  decay: 'none' | 'linear';
  /** Iterations of linear warmup; 0: none. */
  warmup: number;
  /**
   * T: the spec's `train steps`, fixed when the spec is checked, so a run shortened or resumed with other
   * `--steps` keeps the spec's rates at every iteration.
   */
  steps: number;
}

export type OptimizerSpec =
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number; schedule: LrSchedule }
  | { kind: 'sgd'; lr: number; momentum: number; schedule: LrSchedule }
  | { kind: 'rmsprop'; lr: number; decay: number; eps: number; schedule: LrSchedule };

export interface TrainSpec {
  steps: number;
  /** D steps per G step. */
  ndis: number;
  /** EMA decay of G's weights; 0 disables EMA. */
  ema: number;
  seed: number;
  logEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  evalEvery: number;
}

export interface GanIR {
  irVersion: typeof IR_VERSION;
  name: string;
  data: DataSpec;
  latent: LatentSpec;
  generator: Network;
  discriminator: Network;
  /** Normalization applied to D: `gn`/`pgn` replace D by f̂ in both D and G steps. */
  normalize: Normalization;
  loss: LossKind;
  /** Named constants from `let`, resolved. */
  constants: Record<string, number>;
  regularizers: Regularizer[];
  /** WGAN weight clipping of D's trainable parameters after each D step; null = off. */
  clip: number | null;
  optimizers: { D: OptimizerSpec; G: OptimizerSpec };
  train: TrainSpec;
  /** The `augment` statement; absent without one. */
  augment?: AugmentSpec;
}

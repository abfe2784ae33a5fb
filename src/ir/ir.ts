// The checked IR: the plain-JSON contract between the checker and the runtime.
// Every name is resolved, every default filled in, every layer's shape inferred.
// `ir.schema.json` describes exactly these types; ajv validates against it.

import type { Expr } from '../terms/expr.js';
import type { DInput } from '../terms/inputs.js';
import type { LossKind } from '../terms/losses/index.js';
import type { Normalization } from '../terms/normalizations/index.js';
import type { BuiltinTerm } from '../terms/regularizer-terms/index.js';

export const IR_VERSION = 1;

/** A shape without the batch dimension, e.g. [28, 28, 1] (NHWC) or [2]. */
export type Shape = number[];

export type NetworkName = 'G' | 'D';
export type DataKind = 'mnist' | 'mnist-idx' | 'ring8' | 'grid25' | 'folder';
export type LatentDist = 'normal' | 'uniform';
export type Padding = 'same' | 'valid';

export interface DataSpec {
  kind: DataKind;
  batch: number;
  /** Share of the dataset used (limited-data runs); a fixed, seeded subset. 1 = all. */
  fraction: number;
  /** Shape of one sample, without the batch dimension. */
  shape: Shape;
  /** Only for `folder` and `mnist-idx`: the folder path as written in the spec. */
  path?: string;
  /** Only for `folder`: random horizontal flips. */
  flip?: boolean;
}

export interface LatentSpec {
  dist: LatentDist;
  dim: number;
}

/** What a parameter is for; `buffer`s are state that no optimizer touches. */
export type ParamRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'running_mean' | 'running_var' | 'sn_u';

/**
 * How a parameter starts. `uniform_fan_in`: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (PyTorch's default for
 * Linear/Conv weights and biases); `ones`/`zeros`: constants; `normal_unit`: N(0,1) then L2-normalised
 * (the power-iteration vector of spectral normalisation).
 */
export type ParamInit =
  | { kind: 'uniform_fan_in'; fanIn: number }
  | { kind: 'ones' }
  | { kind: 'zeros' }
  | { kind: 'normal_unit' };

export interface ParamSpec {
  /** Globally unique: `<network>.<layerIndex>.<layerKind>.<role>`, e.g. `D.0.conv.kernel`. */
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

/** kernel [in, out], bias [out]. Input must be rank 1. */
export interface DenseLayer extends LayerBase { kind: 'dense'; units: number }
/** kernel [kh, kw, in, out] (tfjs conv2d filter layout), bias [out]. NHWC. */
export interface ConvLayer extends LayerBase {
  kind: 'conv'; filters: number; kernel: number; stride: number; padding: Padding;
}
/**
 * Transposed convolution: kernel [kh, kw, out, in] (tfjs conv2dTranspose layout), bias [out].
 * 'same': out = in * stride; 'valid': out = (in - 1) * stride + kernel.
 */
export interface DeconvLayer extends LayerBase {
  kind: 'deconv'; filters: number; kernel: number; stride: number; padding: Padding;
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
export interface ActivationLayer extends LayerBase { kind: 'relu' | 'tanh' | 'sigmoid' }
export interface LeakyReluLayer extends LayerBase { kind: 'lrelu'; alpha: number }

export type Layer =
  | DenseLayer | ConvLayer | DeconvLayer | ReshapeLayer | FlattenLayer
  | BatchNormLayer | ActivationLayer | LeakyReluLayer;
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

export type OptimizerSpec =
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number }
  | { kind: 'sgd'; lr: number; momentum: number }
  | { kind: 'rmsprop'; lr: number; decay: number; eps: number };

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
}

// The words the checker resolves. The formula vocabulary (terms, functions, losses, normalizations,
// D's inputs) is the registry's in src/terms; the rest are the IR's own unions.
import { REDUCE_FNS, UNARY_FNS, type ReduceFn, type UnaryFn } from '../terms/functions.js';
import { D_INPUTS } from '../terms/inputs.js';
import { LOSS_NAMES } from '../terms/losses/index.js';
import { NORMALIZATION_NAMES } from '../terms/normalizations/index.js';
import { BUILTIN_TERM_NAMES } from '../terms/regularizer-terms/index.js';
import type { DataKind, LatentDist, LayerKind, LrSchedule, Padding, ResBlockLayer } from '../ir/ir.js';

export { D_INPUTS, REDUCE_FNS, UNARY_FNS };
export const BUILTIN_TERMS = BUILTIN_TERM_NAMES;
export const LOSSES = LOSS_NAMES;
export const NORMALIZATIONS = NORMALIZATION_NAMES;
export const DATA_KINDS: readonly DataKind[] = ['mnist', 'mnist-idx', 'ring8', 'grid25', 'folder', 'cifar10'];
export const LATENT_DISTS: readonly LatentDist[] = ['normal', 'uniform'];
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export const NETWORKS = ['D', 'G'] as const;
export const PADDINGS: readonly Padding[] = ['same', 'valid'];
export const LAYER_KINDS: readonly LayerKind[] = [
  'dense', 'conv', 'deconv', 'reshape', 'flatten', 'batchnorm', 'relu', 'tanh', 'sigmoid', 'lrelu',
  'upsample', 'avgpool', 'sumpool', 'resblock', 'cbatchnorm', 'projection',
];
export const RESAMPLES: readonly ResBlockLayer['resample'][] = ['up', 'down', 'same'];
export const INIT_SCHEMES = ['kaiming', 'xavier', 'normal', 'orthogonal'] as const;
/** The `augment` statement's operations (ir.ts, AugmentOpSpec). */
export const AUGMENT_OPS = ['flip', 'translate', 'cutout', 'color'] as const;
export const LR_DECAYS: readonly LrSchedule['decay'][] = ['none', 'linear'];

/** Every function a formula may call. */
export type FunctionName = UnaryFn | ReduceFn | 'norm' | 'D' | 'grad';
export const FUNCTIONS: readonly FunctionName[] = [...UNARY_FNS, ...REDUCE_FNS, 'norm', 'D', 'grad'];

export const isOneOf = <T extends string>(words: readonly T[], word: string): word is T =>
  (words as readonly string[]).includes(word);

/** Names a `let` may not take, because formulas already give them a meaning. */
export const RESERVED_NAMES: readonly string[] = [...FUNCTIONS, ...BUILTIN_TERMS, ...D_INPUTS, 'G'];

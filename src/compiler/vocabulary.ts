// The words the checker resolves, typed as the IR's own unions so a missing case is a type error.
import type {
  BuiltinTerm, DataKind, DInput, LatentDist, LayerKind, LossKind, Normalization, Padding, ReduceFn, UnaryFn,
} from './ir.js';

export const DATA_KINDS: readonly DataKind[] = ['mnist', 'ring8', 'grid25', 'folder'];
export const LATENT_DISTS: readonly LatentDist[] = ['normal', 'uniform'];
export const NORMALIZATIONS: readonly Normalization[] = ['none', 'sn', 'gn', 'pgn'];
export const LOSSES: readonly LossKind[] = ['bce', 'nonsaturating', 'hinge', 'wasserstein', 'lsgan'];
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export const NETWORKS = ['D', 'G'] as const;
export const PADDINGS: readonly Padding[] = ['same', 'valid'];
export const LAYER_KINDS: readonly LayerKind[] = [
  'dense', 'conv', 'deconv', 'reshape', 'flatten', 'batchnorm', 'relu', 'tanh', 'sigmoid', 'lrelu',
];

export const UNARY_FNS: readonly UnaryFn[] = [
  'abs', 'sin', 'cos', 'exp', 'log', 'sqrt', 'square', 'cube', 'relu', 'softplus', 'tanh',
];
export const REDUCE_FNS: readonly ReduceFn[] = ['mean', 'sum'];
export const BUILTIN_TERMS: readonly BuiltinTerm[] = ['gp', 'r1', 'l2', 'R', 'R_t'];
export const D_INPUTS: readonly DInput[] = ['real', 'fake', 'interp'];
/** Every function a formula may call. */
export type FunctionName = UnaryFn | ReduceFn | 'norm' | 'D' | 'grad';
export const FUNCTIONS: readonly FunctionName[] = [...UNARY_FNS, ...REDUCE_FNS, 'norm', 'D', 'grad'];

export const isOneOf = <T extends string>(words: readonly T[], word: string): word is T =>
  (words as readonly string[]).includes(word);

/** Names a `let` may not take, because formulas already give them a meaning. */
export const RESERVED_NAMES: readonly string[] = [...FUNCTIONS, ...BUILTIN_TERMS, ...D_INPUTS, 'G'];

// What a built-in regularizer term is: one definition per file under regularizer-terms/, read by the
// checker (names, needs), the runtime (evaluation), the search (algebraic facts) and the report
// (what each logged value means). Nothing else in ganc names a term.
import type * as tf from '@tensorflow/tfjs-core';
import type { DInput } from './inputs.js';

/**
 * What a term may ask of the D step, each built once per step on the gradient tape (so the term's
 * value can be differentiated w.r.t. D's parameters: a second-order gradient where it uses ∇ₓD).
 */
export interface TermGraph<Name extends string = string> {
  /**
   * D's output (normalised under gn/pgn) on an input, one number per sample. `real_aug`/`fake_aug` are
   * D(T(x)) with the `augment` statement's T and draws of their own; a term that asks for them is refused
   * by the checker in a spec without `augment` (its declared dInputs say so).
   */
  D(input: DInput): tf.Tensor1D;
  /** ∇ₓD for each sample of an input. */
  grad(input: DInput): tf.Tensor;
  /** ‖∇ₓD‖ per sample (exact, with gradient 0 at 0). */
  gradNorm(input: DInput): tf.Tensor1D;
  /** D's dense/conv/deconv kernels as the optimizer holds them (before spectral normalisation). */
  discriminatorKernels(): tf.Tensor[];
  /** Another term's value in this step. */
  term(name: Name): tf.Scalar;
}

interface TermBase<Name extends string> {
  readonly name: Name;
  /** Its definition in mathematical notation, for the report, `ganc compile` and error messages. */
  readonly definition: string;
  /** Where it comes from. */
  readonly source: string;
  /** Inputs whose ∇ₓD it uses (each forces a double backprop). Checked against `evaluate` by a test. */
  readonly gradInputs: readonly DInput[];
  /** Inputs it evaluates D on without the gradient. */
  readonly dInputs: readonly DInput[];
  /** Other terms it is built from. */
  readonly uses: readonly Name[];
  /** Never negative: the search may drop abs and relu around it. */
  readonly nonNegative: boolean;
  /**
   * Other names people write for it, in lower case without '_' or '-' (`gradpen` for grad_pen): an
   * unknown name in a formula that matches one gets "did you mean" this term.
   */
  readonly aliases: readonly string[];
}

/** A term computed from the current step alone. */
export interface StepTerm<Name extends string = string> extends TermBase<Name> {
  readonly kind: 'step';
  evaluate(graph: TermGraph<Name>): tf.Scalar;
}

/**
 * The mean of another term over the last `window` iterations of the regularizer that uses it (the
 * window is the `reg` statement's option). Only the current value carries gradient; past values
 * enter as constants, and they are the regularizer's state, checkpointed with the run.
 */
export interface WindowedTerm<Name extends string = string> extends TermBase<Name> {
  readonly kind: 'windowed';
  /** The term averaged; `uses` is [averages]. */
  readonly averages: Name;
}

export type TermDefinition<Name extends string = string> = StepTerm<Name> | WindowedTerm<Name>;

// Lowering: the checked IR → the graph plan, which says what each training step must build.
// This is where ganc decides where double backprop happens: a D-step gradient is second order when
// a formula needs ∇ₓD, and one order more when D itself is gn/pgn-normalised (f̂ contains ∇ₓf).
import type { BuiltinTerm, DInput, GanIR, LossKind, Normalization } from './ir.js';

export interface StepPlan {
  loss: LossKind;
  /** Highest order of derivative the step's parameter gradient takes of D's network. */
  derivativeOrder: number;
}

export interface DStepPlan extends StepPlan {
  /** Inputs D is evaluated on (real and fake for every loss; interp for WGAN-GP-like terms). */
  inputs: DInput[];
  /** Inputs whose ∇ₓD is built inside the loss: each forces a double backprop. */
  inputGradients: DInput[];
  terms: BuiltinTerm[];
  /** WGAN-GP's ε must be drawn for the step. */
  needsInterp: boolean;
}

export interface GraphPlan {
  name: string;
  normalization: Normalization;
  /** One power iteration per D step on each D kernel. */
  spectralNorm: boolean;
  dStep: DStepPlan;
  gStep: StepPlan;
  parameters: Record<'G' | 'D', { trainable: number; buffers: number; scalars: number }>;
}

/** The inputs whose ∇ₓD each built-in term differentiates through. */
export const TERM_INPUT_GRADIENTS: Record<BuiltinTerm, DInput[]> = {
  gp: ['interp'],
  r1: ['real'],
  l2: [],
  R: ['real', 'fake'],
  R_t: ['real', 'fake'],
};

const INPUT_ORDER: DInput[] = ['real', 'fake', 'interp'];
const inOrder = (inputs: Set<DInput>): DInput[] => INPUT_ORDER.filter((i) => inputs.has(i));

export function lower(ir: GanIR): GraphPlan {
  const terms = new Set<BuiltinTerm>(ir.regularizers.flatMap((r) => r.needs.terms));
  const gradients = new Set<DInput>(ir.regularizers.flatMap((r) => [
    ...r.needs.gradInputs,
    ...r.needs.terms.flatMap((t) => TERM_INPUT_GRADIENTS[t]),
  ]));
  const inputs = new Set<DInput>(['real', 'fake', ...gradients, ...ir.regularizers.flatMap((r) => r.needs.dInputs)]);
  const normalizedOrder = ir.normalize === 'gn' || ir.normalize === 'pgn' ? 1 : 0;
  return {
    name: ir.name,
    normalization: ir.normalize,
    spectralNorm: ir.normalize === 'sn',
    dStep: {
      loss: ir.loss,
      inputs: inOrder(inputs),
      inputGradients: inOrder(gradients),
      terms: [...terms].sort(),
      needsInterp: inputs.has('interp'),
      derivativeOrder: 1 + normalizedOrder + (gradients.size > 0 ? 1 : 0),
    },
    gStep: { loss: ir.loss, derivativeOrder: 1 + normalizedOrder },
    parameters: { G: countParams(ir, 'G'), D: countParams(ir, 'D') },
  };
}

function countParams(ir: GanIR, net: 'G' | 'D'): GraphPlan['parameters']['G'] {
  const params = (net === 'G' ? ir.generator : ir.discriminator).layers.flatMap((l) => l.params);
  return {
    trainable: params.filter((p) => p.trainable).length,
    buffers: params.filter((p) => !p.trainable).length,
    scalars: params.filter((p) => p.trainable).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
  };
}

// What a training step computed, as typed records (no string keys between steps, trainer, log and
// report), and the one place those values get their labels.
import type { BuiltinTerm, GanIR, Regularizer } from '../../ir/ir.js';
import { termDefinition } from '../../terms/regularizer-terms/index.js';

export interface RegularizerValues {
  /** The regularizer's value: what it adds to D's loss. */
  value: number;
  /** Its windowed terms' values (e.g. R_t): the mean over its own window. */
  windowed: Partial<Record<BuiltinTerm, number>>;
}

export interface DStepValues {
  /** The loss the optimizer minimises: adversarial + Σ regularizers. */
  loss: number;
  adversarial: number;
  /** Every step term computed (each once per step, shared by all regularizers), by name. */
  terms: Partial<Record<BuiltinTerm, number>>;
  /** One per regularizer of the IR, in its order. */
  regularizers: RegularizerValues[];
}

export interface GStepValues {
  loss: number;
}

/**
 * Past values of the term each regularizer's windowed term averages (most recent last, at most
 * window − 1 of them), one list per regularizer. One windowed term exists (R_t), so one list is its state.
 */
export type WindowState = number[][];

/** A regularizer as logs and the report name it: by its name (`reg cubic = ...`), else by its formula. */
export const regularizerLabel = (reg: Regularizer): string => `reg ${reg.name ?? reg.text}`;

/**
 * A windowed term's label: its name, with its regularizer's name (or number) where several regularizers
 * have one.
 */
export function windowedLabel(ir: GanIR, reg: Regularizer, term: BuiltinTerm): string {
  const windowedRegs = ir.regularizers.filter((r) => r.needs.terms.some((t) => termDefinition(t).kind === 'windowed'));
  return windowedRegs.length > 1 ? `${term} (${reg.name ?? `reg ${reg.index + 1}`})` : term;
}

/** Every value of a D step with its label, in a fixed order: adversarial loss, terms, windowed terms, regularizers, total. */
export function labelledDStepValues(ir: GanIR, d: DStepValues): [string, number][] {
  const out: [string, number][] = [['loss_D_adversarial', d.adversarial]];
  for (const [term, value] of Object.entries(d.terms)) out.push([term, value]);
  ir.regularizers.forEach((reg, i) => {
    for (const [term, value] of Object.entries(d.regularizers[i]?.windowed ?? {})) out.push([windowedLabel(ir, reg, term as BuiltinTerm), value]);
  });
  ir.regularizers.forEach((reg, i) => {
    if (d.regularizers[i]) out.push([regularizerLabel(reg), d.regularizers[i].value]);
  });
  out.push(['loss_D', d.loss]);
  return out;
}

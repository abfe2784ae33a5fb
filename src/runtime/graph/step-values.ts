// What a training step computed, as typed records (no string keys between steps, trainer, log and
// report), and the one place those values get their labels.
import type * as tf from '@tensorflow/tfjs-core';
import type { BuiltinTerm, GanIR, Regularizer } from '../../ir/ir.js';
import { termDefinition } from '../../terms/regularizer-terms/index.js';

/**
 * A step's values are tensors when the step returns them (nothing is read back from the device inside a
 * step) and numbers once read (readStepValues): `V` is tf.Scalar or number.
 */
export interface RegularizerValues<V = number> {
  /** The regularizer's value: what it adds to D's loss. */
  value: V;
  /** Its windowed terms' values (e.g. R_t): the mean over its own window. */
  windowed: Partial<Record<BuiltinTerm, V>>;
}

export interface DStepValues<V = number> {
  /** The loss the optimizer minimises: adversarial + Σ regularizers. */
  loss: V;
  adversarial: V;
  /** Every step term computed (each once per step, shared by all regularizers), by name. */
  terms: Partial<Record<BuiltinTerm, V>>;
  /** One per regularizer of the IR, in its order. */
  regularizers: RegularizerValues<V>[];
}

export interface GStepValues<V = number> {
  loss: V;
}

/** The same values with each one mapped by f, in the same structure. */
export function mapDStepValues<A, B>(d: DStepValues<A>, f: (a: A) => B): DStepValues<B> {
  const mapRecord = (r: Partial<Record<BuiltinTerm, A>>): Partial<Record<BuiltinTerm, B>> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v as A)]));
  return {
    loss: f(d.loss),
    adversarial: f(d.adversarial),
    terms: mapRecord(d.terms),
    regularizers: d.regularizers.map((r) => ({ value: f(r.value), windowed: mapRecord(r.windowed) })),
  };
}

/** Every value of a D step, each once (for reading them back or disposing them). */
export function dStepScalars<V>(d: DStepValues<V>): V[] {
  return [d.loss, d.adversarial, ...Object.values(d.terms) as V[],
    ...d.regularizers.flatMap((r) => [r.value, ...Object.values(r.windowed) as V[]])];
}

/**
 * Past values of the term each regularizer's windowed term averages (most recent last, at most
 * window − 1 of them), one list per regularizer. One windowed term exists (R_t), so one list is its state.
 * A value still on the device is a kept scalar tensor until the trainer reads it (readWindows); a
 * checkpoint and a probe hold numbers.
 */
export type WindowValue = number | tf.Scalar;
export type WindowState = WindowValue[][];

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
export function labelledDStepValues<V = number>(ir: GanIR, d: DStepValues<V>): [string, V][] {
  const out: [string, V][] = [['loss_D_adversarial', d.adversarial]];
  for (const [term, value] of Object.entries(d.terms)) out.push([term, value as V]);
  ir.regularizers.forEach((reg, i) => {
    for (const [term, value] of Object.entries(d.regularizers[i]?.windowed ?? {})) out.push([windowedLabel(ir, reg, term as BuiltinTerm), value as V]);
  });
  ir.regularizers.forEach((reg, i) => {
    if (d.regularizers[i]) out.push([regularizerLabel(reg), d.regularizers[i].value]);
  });
  out.push(['loss_D', d.loss]);
  return out;
}

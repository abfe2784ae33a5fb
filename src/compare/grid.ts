// The grid of a comparison: methods (each spec, once per --set combination) × data fractions × seeds.
// Every method's spec is the spec file with its overrides written in by the compiler's override
// function (the one `ganc train --set` uses) and checked; a cell adds `data fraction F` and, with
// --eval-every, `train eval N`. The gan name of each method is set to the method's name, so a run
// directory says which method it belongs to (which is how `ganc compare RUN_DIR...` groups runs).
import { basename, extname, resolve } from 'node:path';
import { checkWithOverrides, type Override } from '../compiler/overrides.js';
import { SpecDiagnosticsError } from '../errors.js';
import type { DataKind, GanIR } from '../ir/ir.js';
import { formatDiagnostic } from '../parser/index.js';
import { trialId, type Trial } from '../search/trial.js';
import { CompareError } from './compare-error.js';
import { expandSets } from './set-grid.js';

export interface CompareConfig {
  steps: number;
  seeds: number[];
  /** null: each spec's own fraction. */
  fractions: number[] | null;
  /** null: each spec's own `train eval`. */
  evalEvery: number | null;
  evalSamples: number;
  batch: number | null;
  baseline: string | null;
  /** The --set options as given (braces unexpanded). */
  sets: string[];
}

export interface Method {
  /** A name of the language (letters, digits, '_'): the gan name of its runs. */
  name: string;
  /** Absolute path of the spec file: names it in messages and anchors relative data folders. */
  specFile: string;
  /** The --set overrides of this method's combination. */
  overrides: string[];
  /** The spec with the overrides and its name written in. */
  specText: string;
  data: DataKind;
  /** The spec's own `train steps`. */
  specSteps: number;
}

export interface CellSpec {
  method: string;
  fraction: number;
  /** `<method>-<percent>pct`: names the cell's trials and its saved spec. */
  variantId: string;
  /** What the cell's runs train, but for the seed, which comes with each trial. */
  specText: string;
}

/** The fraction as a name part: 0.1 → 10, 0.125 → 12p5, 1 → 100. */
export function fractionTag(fraction: number): string {
  return String(+(fraction * 100).toFixed(6)).replace('.', 'p');
}

/** A spec file's name as a name of the language: `wgan-gp.gan` → `wgan_gp`. */
export function baseMethodName(file: string): string {
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

function checked(text: string, file: string, overrides: Override[]): { text: string; ir: GanIR } {
  const result = checkWithOverrides(text, file, overrides);
  if (!result.ir) {
    const formatted = result.diagnostics.map((d) => formatDiagnostic(d, result.text)).join('\n');
    throw new SpecDiagnosticsError(file, result.diagnostics, formatted);
  }
  return { text: result.text, ir: result.ir };
}

const asOverrides = (texts: string[], label: string): Override[] => texts.map((text) => ({ label, text }));

/** One method per spec and --set combination; names are the file names, numbered when a grid has several. */
export function buildMethods(specs: { file: string; text: string }[], sets: string[]): Method[] {
  const combos = expandSets(sets);
  const methods = specs.flatMap(({ file, text }) => combos.map((combo, k) => {
    const name = combos.length > 1 ? `${baseMethodName(file)}_${k + 1}` : baseMethodName(file);
    const overrides = [...asOverrides(combo.overrides, '--set'), { label: 'compare (method name)', text: `gan ${name}` }];
    const spec = checked(text, file, overrides);
    return { name, specFile: resolve(file), overrides: combo.overrides, specText: spec.text, data: spec.ir.data.kind, specSteps: spec.ir.train.steps };
  }));
  const seen = new Map<string, string>();
  for (const m of methods) {
    const other = seen.get(m.name);
    if (other !== undefined) throw new CompareError(`${other} and ${m.specFile} would both be method '${m.name}'; give one spec another file name`);
    seen.set(m.name, m.specFile);
  }
  const kinds = new Set(methods.map((m) => measureFamily(m.data)));
  if (kinds.size > 1) throw new CompareError(`the specs train on different data (${[...new Set(methods.map((m) => m.data))].join(', ')}): one comparison scores one kind of data`);
  return methods;
}

/** Data kinds scored by the same measures can share a table. */
export const measureFamily = (kind: DataKind): string => (kind === 'mnist-idx' ? 'mnist' : kind);

/** A cell per method and fraction, its spec checked with the fraction and evaluation interval written in. */
export function buildCells(methods: Method[], config: CompareConfig): CellSpec[] {
  return methods.flatMap((m) => (config.fractions ?? [null]).map((fraction) => {
    const overrides: Override[] = [];
    if (fraction !== null) overrides.push({ label: '--fractions', text: `data fraction ${fraction}` });
    // Written in too, so the saved spec is what trained (only the seed comes with each trial).
    overrides.push({ label: '--steps', text: `train steps ${config.steps}` });
    if (config.batch !== null) overrides.push({ label: '--batch', text: `data batch ${config.batch}` });
    if (config.evalEvery !== null) overrides.push({ label: '--eval-every', text: `train eval ${config.evalEvery}` });
    const spec = checked(m.specText, m.specFile, overrides);
    const f = spec.ir.data.fraction;
    return { method: m.name, fraction: f, variantId: `${m.name}-${fractionTag(f)}pct`, specText: spec.text };
  }));
}

/**
 * Every trial of the grid, seed by seed and, within a seed, fraction by fraction: each method is timed
 * early (so the time left is estimated from all of them), and a grid stopped halfway has whole seeds.
 */
export function trialsOf(cells: CellSpec[], methods: Method[], config: CompareConfig): Trial[] {
  const fileOf = new Map(methods.map((m) => [m.name, m.specFile]));
  const fractions = [...new Set(cells.map((c) => c.fraction))];
  return config.seeds.flatMap((seed) => fractions.flatMap((f) => cells.filter((c) => c.fraction === f).map((cell) => ({
    id: trialId(cell.variantId, config.steps, seed), variantId: cell.variantId, rung: 0, steps: config.steps, seed,
    specText: cell.specText, specFile: fileOf.get(cell.method)!, evalSamples: config.evalSamples,
    ...(config.batch !== null ? { batch: config.batch } : {}),
  }))));
}

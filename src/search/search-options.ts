// The search's command-line options read into a SearchConfig, with every bad value refused by name.
import type { BuiltinTerm, UnaryFn } from '../ir/ir.js';
import { UNARY_FNS } from '../terms/functions.js';
import { BUILTIN_TERM_NAMES } from '../terms/regularizer-terms/index.js';
import { DEFAULT_GRID, REWRITE_FAMILIES, type FunctionChoice, type RewriteFamily } from './rewrites.js';
import type { SearchConfig } from './state.js';
import { UserError } from '../errors.js';

export class SearchOptionError extends UserError {}

export interface RawSearchOptions {
  reg: string;
  vary: string;
  fns?: string;
  exps?: string;
  scales?: string;
  combineTerms?: string;
  combineScales?: string;
  windows?: string;
  depth: string;
  maxVariants: string;
  minSteps: string;
  maxSteps: string;
  eta: string;
  seeds: string;
  seed: string;
  batch?: string;
  evalSamples: string;
}

const FUNCTIONS: FunctionChoice[] = ['identity', ...UNARY_FNS];
const TERMS: readonly BuiltinTerm[] = BUILTIN_TERM_NAMES;

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function oneOf<T extends string>(text: string, allowed: readonly T[], option: string): T[] {
  return list(text).map((s) => {
    if (!(allowed as readonly string[]).includes(s)) throw new SearchOptionError(`${option}: unknown '${s}'; expected some of ${allowed.join(', ')}`);
    return s as T;
  });
}

function numbers(text: string, option: string, valid: (x: number) => boolean, what: string): number[] {
  return list(text).map((s) => {
    const x = Number(s);
    if (!Number.isFinite(x) || !valid(x)) throw new SearchOptionError(`${option}: '${s}' is not ${what}`);
    return x;
  });
}

function whole(text: string, option: string, min: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) throw new SearchOptionError(`${option}: '${text}' is not a whole number ≥ ${min}`);
  return x;
}

const positive = (x: number): boolean => x > 0;

export function searchConfig(specFile: string, o: RawSearchOptions): SearchConfig {
  const families = oneOf<RewriteFamily>(o.vary, REWRITE_FAMILIES, '--vary');
  if (families.length === 0) throw new SearchOptionError('--vary: name at least one of fn, exp, scale, combine, window');
  const minSteps = whole(o.minSteps, '--min-steps', 1);
  const maxSteps = whole(o.maxSteps, '--max-steps', 1);
  if (maxSteps < minSteps) throw new SearchOptionError(`--max-steps ${maxSteps} is less than --min-steps ${minSteps}`);
  const eta = whole(o.eta, '--eta', 2);
  return {
    specFile,
    regIndex: whole(o.reg, '--reg', 1) - 1,
    families,
    grid: {
      functions: o.fns ? oneOf<FunctionChoice>(o.fns, FUNCTIONS, '--fns') : DEFAULT_GRID.functions,
      exponents: o.exps ? numbers(o.exps, '--exps', () => true, 'a number') : DEFAULT_GRID.exponents,
      scales: o.scales ? numbers(o.scales, '--scales', positive, 'a positive number') : DEFAULT_GRID.scales,
      combineTerms: o.combineTerms ? oneOf<BuiltinTerm>(o.combineTerms, TERMS, '--combine-terms') : DEFAULT_GRID.combineTerms,
      combineScales: o.combineScales ? numbers(o.combineScales, '--combine-scales', positive, 'a positive number') : DEFAULT_GRID.combineScales,
      windows: o.windows ? numbers(o.windows, '--windows', (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1') : DEFAULT_GRID.windows,
    },
    depth: whole(o.depth, '--depth', 1),
    maxVariants: whole(o.maxVariants, '--max-variants', 1),
    budget: {
      minSteps, maxSteps, eta,
      seeds: whole(o.seeds, '--seeds', 1),
      baseSeed: whole(o.seed, '--seed', 0),
      batch: o.batch === undefined ? undefined : whole(o.batch, '--batch', 1),
      evalSamples: whole(o.evalSamples, '--eval-samples', 10),
    },
  };
}

/** Unary functions of the language a search may try (for help texts). */
export const SEARCH_FUNCTIONS: readonly (UnaryFn | 'identity')[] = FUNCTIONS;

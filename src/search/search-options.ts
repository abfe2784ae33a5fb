// The search's command-line options read into a SearchConfig, with every bad value refused by name.
import type { BuiltinTerm, UnaryFn } from '../ir/ir.js';
import { UNARY_FNS } from '../terms/functions.js';
import { BUILTIN_TERM_NAMES } from '../terms/regularizer-terms/index.js';
import { DEFAULT_GRID, REWRITE_FAMILIES, type FunctionChoice, type RewriteFamily } from './rewrites.js';
import type { SearchConfig } from './state.js';
import { JOB_LIMITS } from './job.js';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';

/**
 * Most trial processes `--workers` starts on one machine: each is a Node process with its own copy of
 * the runtime (a few hundred MB), so more than this is a typo, not a plan.
 */
export const MAX_WORKERS = 64;
/** Most seeds of the last rung. */
export const MAX_SEEDS = 100;

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
    if (!(allowed as readonly string[]).includes(s)) throw new SearchOptionError(`${option}: unknown '${escapeControl(s)}'; expected some of ${allowed.join(', ')}`);
    return s as T;
  });
}

function numbers(text: string, option: string, valid: (x: number) => boolean, what: string): number[] {
  return list(text).map((s) => {
    const x = Number(s);
    if (!Number.isFinite(x) || !valid(x)) throw new SearchOptionError(`${option}: '${escapeControl(s)}' is not ${what}`);
    return x;
  });
}

/** A whole number from `min` to `max`: the bounds are the ones queue workers hold jobs to (JOB_LIMITS). */
function whole(text: string, option: string, min: number, max: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new SearchOptionError(`${option}: '${escapeControl(text)}' is not a whole number from ${min} to ${max}`);
  }
  return x;
}

const positive = (x: number): boolean => x > 0;

export function searchConfig(specFile: string, o: RawSearchOptions): SearchConfig {
  const families = oneOf<RewriteFamily>(o.vary, REWRITE_FAMILIES, '--vary');
  if (families.length === 0) throw new SearchOptionError('--vary: name at least one of fn, exp, scale, combine, window');
  const minSteps = whole(o.minSteps, '--min-steps', 1, JOB_LIMITS.maxSteps);
  const maxSteps = whole(o.maxSteps, '--max-steps', 1, JOB_LIMITS.maxSteps);
  if (maxSteps < minSteps) throw new SearchOptionError(`--max-steps ${maxSteps} is less than --min-steps ${minSteps}`);
  const eta = whole(o.eta, '--eta', 2, 1000);
  const seeds = whole(o.seeds, '--seeds', 1, MAX_SEEDS);
  const baseSeed = whole(o.seed, '--seed', 0, JOB_LIMITS.maxSeed - seeds + 1);
  return {
    specFile,
    regIndex: whole(o.reg, '--reg', 1, 10_000) - 1,
    families,
    grid: {
      functions: o.fns ? oneOf<FunctionChoice>(o.fns, FUNCTIONS, '--fns') : DEFAULT_GRID.functions,
      exponents: o.exps ? numbers(o.exps, '--exps', () => true, 'a number') : DEFAULT_GRID.exponents,
      scales: o.scales ? numbers(o.scales, '--scales', positive, 'a positive number') : DEFAULT_GRID.scales,
      combineTerms: o.combineTerms ? oneOf<BuiltinTerm>(o.combineTerms, TERMS, '--combine-terms') : DEFAULT_GRID.combineTerms,
      combineScales: o.combineScales ? numbers(o.combineScales, '--combine-scales', positive, 'a positive number') : DEFAULT_GRID.combineScales,
      windows: o.windows ? numbers(o.windows, '--windows', (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1') : DEFAULT_GRID.windows,
    },
    depth: whole(o.depth, '--depth', 1, 100),
    maxVariants: whole(o.maxVariants, '--max-variants', 1, 10_000),
    budget: {
      minSteps, maxSteps, eta,
      seeds,
      baseSeed,
      batch: o.batch === undefined ? undefined : whole(o.batch, '--batch', 1, JOB_LIMITS.maxBatch),
      evalSamples: whole(o.evalSamples, '--eval-samples', JOB_LIMITS.minEvalSamples, JOB_LIMITS.maxEvalSamples),
    },
  };
}

/** Unary functions of the language a search may try (for help texts). */
export const SEARCH_FUNCTIONS: readonly (UnaryFn | 'identity')[] = FUNCTIONS;

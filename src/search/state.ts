// The coordinator's memory: search-state.json in the search directory, rewritten atomically after
// every finished trial, so a restarted coordinator (`--resume DIR`) trains nothing twice.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataKind } from '../ir/ir.js';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { RewriteFamily, RewriteGrid } from './rewrites.js';
import type { Budget } from './scheduler.js';
import type { Measure } from './scores.js';
import type { TrialResult } from './trial.js';
import type { SkippedVariant, Variant } from './variants.js';
import { UserError } from '../errors.js';
import { FileError, readRegularTextFile } from '../files.js';

export const STATE_FILE = 'search-state.json';
export const STATE_VERSION = 1;

export interface SearchConfig {
  /** Absolute path of the spec searched. */
  specFile: string;
  /** 0-based index of the varied reg statement. */
  regIndex: number;
  families: RewriteFamily[];
  grid: RewriteGrid;
  depth: number;
  maxVariants: number;
  budget: Budget;
}

export interface SearchState {
  version: typeof STATE_VERSION;
  /** Names this search's jobs on a shared queue. */
  searchId: string;
  createdAt: string;
  config: SearchConfig;
  specText: string;
  data: DataKind;
  measures: Measure[];
  regCount: number;
  variants: Variant[];
  truncated: number;
  /** Degenerate rewrites the search did not train (absent in states written before it skipped any). */
  skipped?: SkippedVariant[];
  /** Finished trials by trial id: each trial is here at most once. */
  results: Record<string, TrialResult>;
}

export class SearchStateError extends UserError {}

export function saveState(dir: string, state: SearchState): void {
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`);
}

/** A state file is a few megabytes at most (every variant's spec text and every trial's result). */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

export function loadState(dir: string): SearchState {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) throw new SearchStateError(`${dir}: not a search directory (no ${STATE_FILE})`);
  let state: unknown;
  try {
    state = JSON.parse(readRegularTextFile(path, MAX_STATE_BYTES, 'search state'));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new SearchStateError(`${path}: unreadable (${(e as Error).message})`);
  }
  const version = (state as { version?: unknown } | null)?.version;
  if (typeof state === 'object' && state !== null && !Array.isArray(state) && version !== STATE_VERSION) {
    throw new SearchStateError(`${path}: version ${JSON.stringify(version) ?? 'missing'}, expected ${STATE_VERSION}`);
  }
  // A damaged or hand-edited state must fail here, in one line, not as a TypeError deep in the search.
  const problem = STATE_SHAPE(state, 'the state');
  if (problem) throw new SearchStateError(`${path}: not a valid search state (${problem})`);
  return state as SearchState;
}

// The state's shape, field by field: each check returns what is wrong at its path, or undefined.
type Shape = (value: unknown, at: string) => string | undefined;
const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 40);
const is = (test: (v: unknown) => boolean, what: string): Shape => (v, at) => (test(v) ? undefined : `${at} is ${show(v)}, expected ${what}`);
const str = is((v) => typeof v === 'string', 'a string');
const num = is((v) => typeof v === 'number' && Number.isFinite(v), 'a number');
const count = is((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, 'a whole number');
const optional = (shape: Shape): Shape => (v, at) => (v === undefined ? undefined : shape(v, at));
const nullable = (shape: Shape): Shape => (v, at) => (v === null ? undefined : shape(v, at));
const listOf = (shape: Shape): Shape => (v, at) => (Array.isArray(v) ? v.reduce<string | undefined>((p, x, i) => p ?? shape(x, `${at}[${i}]`), undefined) : `${at} is ${show(v)}, expected a list`);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const recordOf = (shape: Shape): Shape => (v, at) => (isRecord(v) ? Object.entries(v).reduce<string | undefined>((p, [k, x]) => p ?? shape(x, `${at}.${k}`), undefined) : `${at} is ${show(v)}, expected an object`);
const fields = (spec: Record<string, Shape>): Shape => (v, at) => (isRecord(v)
  ? Object.entries(spec).reduce<string | undefined>((p, [k, shape]) => p ?? shape(v[k], `${at === 'the state' ? k : `${at}.${k}`}`), undefined)
  : `${at} is ${show(v)}, expected an object`);

const STATE_SHAPE: Shape = fields({
  searchId: str,
  createdAt: str,
  config: fields({
    specFile: str, regIndex: count, families: listOf(str), depth: count, maxVariants: count,
    grid: fields({ functions: listOf(str), exponents: listOf(num), scales: listOf(num), combineTerms: listOf(str), combineScales: listOf(num), windows: listOf(count) }),
    budget: fields({ minSteps: count, maxSteps: count, eta: num, seeds: count, baseSeed: count, batch: optional(count), evalSamples: count }),
  }),
  specText: str,
  data: str,
  measures: listOf(fields({ name: str, better: is((v) => v === 'higher' || v === 'lower', "'higher' or 'lower'") })),
  regCount: count,
  variants: listOf(fields({
    id: str, kind: str, reg: str, key: str, edits: listOf(str), duplicates: listOf(listOf(str)), family: optional(str), file: str, specText: str,
  })),
  truncated: count,
  skipped: optional(listOf(fields({ reg: str, edits: listOf(str), why: str }))),
  results: recordOf(fields({
    trialId: str, variantId: str, rung: count, steps: count, seed: count, quality: nullable(recordOf(nullable(num))),
    // A divergence's value is NaN or ±Infinity, which JSON writes as null: only its message is read back.
    diverged: nullable(fields({ message: str })), error: nullable(str), runDir: str, worker: str, seconds: num,
  })),
});

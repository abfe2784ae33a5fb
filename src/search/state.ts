// The coordinator's memory: search-state.json in the search directory, rewritten atomically after
// every finished trial, so a restarted coordinator (`--resume DIR`) trains nothing twice.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataKind } from '../ir/ir.js';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { RewriteFamily, RewriteGrid } from './rewrites.js';
import type { Budget } from './scheduler.js';
import type { Measure } from './scores.js';
import type { TrialResult } from './trial.js';
import type { SkippedVariant, Variant } from './variants.js';
import { UserError } from '../errors.js';

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

export function loadState(dir: string): SearchState {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) throw new SearchStateError(`${dir}: not a search directory (no ${STATE_FILE})`);
  let state: SearchState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as SearchState;
  } catch (e) {
    throw new SearchStateError(`${path}: unreadable (${(e as Error).message})`);
  }
  if (state.version !== STATE_VERSION) throw new SearchStateError(`${path}: version ${state.version}, expected ${STATE_VERSION}`);
  return state;
}

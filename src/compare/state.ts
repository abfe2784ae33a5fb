// A comparison's memory: compare-state.json in its directory, rewritten atomically after every finished
// trial and every evaluation, so `ganc compare --resume DIR` trains no finished trial again and scores
// no finished run again.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { TrialResult } from '../search/trial.js';
import { CompareError } from './compare-error.js';
import type { CellSpec, CompareConfig, Method } from './grid.js';
import type { RunScores } from './protocol.js';
import { keepNonFinite } from './records.js';

export const STATE_FILE = 'compare-state.json';
export const STATE_VERSION = 1;

/** A run scored under the protocol, or why it could not be. */
export type Evaluation = RunScores | { error: string };

export interface CompareState {
  version: typeof STATE_VERSION;
  /** Names this comparison's jobs on a shared queue. */
  compareId: string;
  createdAt: string;
  /** The command line that created it. */
  command: string;
  /** Wall time of every session on this directory so far. */
  elapsedSeconds: number;
  config: CompareConfig;
  methods: Method[];
  cells: CellSpec[];
  /** Finished trials by trial id: each at most once. */
  results: Record<string, TrialResult>;
  /** Protocol scores of finished trials by trial id. */
  evaluations: Record<string, Evaluation>;
}

export function saveState(dir: string, state: CompareState): void {
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, keepNonFinite, 1)}\n`);
}

export function loadState(dir: string): CompareState {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) throw new CompareError(`${dir}: not a compare directory (no ${STATE_FILE})`);
  let state: CompareState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as CompareState;
  } catch (e) {
    throw new CompareError(`${path}: unreadable (${(e as Error).message})`);
  }
  if (state?.version !== STATE_VERSION) throw new CompareError(`${path}: version ${String(state?.version)}, expected ${STATE_VERSION}`);
  return state;
}

// One run of a comparison as the tables read it, whether it comes from the grid ganc compare trained
// (compare-state.json) or from run directories given on the command line. Both go through the same
// functions from here on, so aggregating a grid's run directories gives the grid's table.
//
// After each trial the coordinator writes compare-trial.json into the run directory: what the trainer
// reported (wall time, the step and term of a divergence), which the run's own files do not record.
// A run directory without it (a plain `ganc train` run) is read from its files alone.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataKind } from '../ir/ir.js';
import { listCheckpoints } from '../runtime/run/checkpoint.js';
import { readMetrics } from '../runtime/run/metrics-log.js';
import { CHECKPOINTS_DIR, IR_FILE, METRICS_FILE, SPEC_FILE } from '../runtime/run/run-dir.js';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import { readRunIR } from '../runtime/train/trained-run.js';
import type { Divergence, TrialResult } from '../search/trial.js';
import { CompareError } from './compare-error.js';
import type { Evaluation } from './state.js';

export type RunStatus = 'finished' | 'diverged' | 'failed' | 'pending';

export interface RunRecord {
  method: string;
  fraction: number;
  seed: number;
  steps: number;
  data: DataKind;
  status: RunStatus;
  /** Why a run has no scores: `diverged at step 12: …`, `failed: …`. */
  note: string | null;
  /** Protocol scores; null unless finished. */
  scores: Record<string, number> | null;
  /** Wall time of the training, in seconds. */
  seconds: number | null;
  runDir: string | null;
}

export const TRIAL_FILE = 'compare-trial.json';

/** What compare-trial.json holds. */
export interface TrialOutcome {
  trialId: string;
  seconds: number;
  worker: string;
  diverged: Divergence | null;
  error: string | null;
}

export function writeTrialOutcome(result: TrialResult): void {
  if (!result.runDir || !existsSync(result.runDir)) return;
  const outcome: TrialOutcome = { trialId: result.trialId, seconds: result.seconds, worker: result.worker, diverged: result.diverged, error: result.error };
  writeFileAtomic(join(result.runDir, TRIAL_FILE), `${JSON.stringify(outcome, keepNonFinite, 1)}\n`);
}

/**
 * A JSON replacer that writes NaN and ±Infinity as strings: JSON would make them null, and a
 * divergence's value is exactly what a reader needs to see.
 */
export function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function readTrialOutcome(runDir: string): TrialOutcome | null {
  const path = join(runDir, TRIAL_FILE);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as TrialOutcome;
    return typeof value.seconds === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** The one wording of an unfinished run, from the grid's result or the run's compare-trial.json alike. */
function outcomeNote(o: { diverged: Divergence | null; error: string | null }): string | null {
  if (o.error !== null) return `failed: ${o.error}`;
  // A value that crossed a JSON boundary (a worker's answer) arrives as null or as keepNonFinite's string.
  const value: unknown = o.diverged?.value;
  const shown = typeof value === 'number' || typeof value === 'string' ? String(value) : 'not finite';
  if (o.diverged) return `diverged at step ${o.diverged.step}: ${o.diverged.term} is ${shown}`;
  return null;
}

function scored(base: Omit<RunRecord, 'status' | 'note' | 'scores'>, evaluation: Evaluation | undefined): RunRecord {
  if (evaluation === undefined) return { ...base, status: 'pending', note: 'not scored yet', scores: null };
  if ('error' in evaluation) return { ...base, status: 'failed', note: `not scored: ${evaluation.error}`, scores: null };
  return { ...base, status: 'finished', note: null, scores: evaluation.scores };
}

/** A grid trial's record: its result (undefined: not trained yet) and its evaluation. */
export function recordOfTrial(
  cell: { method: string; fraction: number }, data: DataKind, seed: number, steps: number,
  result: TrialResult | undefined, evaluation: Evaluation | undefined,
): RunRecord {
  const base = { method: cell.method, fraction: cell.fraction, seed, steps, data, seconds: result?.seconds ?? null, runDir: result?.runDir || null };
  if (!result) return { ...base, status: 'pending', note: 'not trained yet', scores: null };
  const note = outcomeNote(result);
  if (note !== null) return { ...base, status: result.error !== null ? 'failed' : 'diverged', note, scores: null };
  return scored(base, evaluation);
}

/** A run directory read from its files (and its compare-trial.json when the grid left one). */
export interface RunDirFacts {
  base: Omit<RunRecord, 'status' | 'note' | 'scores'>;
  /** Set when the run did not finish: the record's status and note. */
  unfinished: { status: 'diverged' | 'failed'; note: string } | null;
  /** Whether compare-trial.json was there. */
  fromGrid: boolean;
  /** The run's spec.gan. */
  specText: string | null;
}

export function readRunDirFacts(runDir: string): RunDirFacts {
  const ir = readRunIR(runDir);
  const outcome = readTrialOutcome(runDir);
  const checkpoint = listCheckpoints(join(runDir, CHECKPOINTS_DIR)).at(-1)?.step ?? null;
  const base = {
    method: ir.name, fraction: ir.data.fraction, seed: ir.train.seed, steps: ir.train.steps, data: ir.data.kind,
    seconds: outcome ? outcome.seconds : secondsFromFiles(runDir), runDir,
  };
  const specFile = join(runDir, SPEC_FILE);
  const specText = existsSync(specFile) ? readFileSync(specFile, 'utf8') : null;
  const fromGrid = outcome !== null;
  const note = outcome ? outcomeNote(outcome) : null;
  if (note !== null) return { base, unfinished: { status: outcome!.error !== null ? 'failed' : 'diverged', note }, fromGrid, specText };
  if (checkpoint !== ir.train.steps) {
    const last = lastLoggedStep(runDir);
    const at = last === null ? `before step 1 of ${ir.train.steps} was logged` : `after step ${last} of ${ir.train.steps} (its last logged step)`;
    const note = `stopped ${at}; the run directory does not say why (diverged, or interrupted)`;
    return { base, unfinished: { status: 'diverged', note }, fromGrid, specText };
  }
  return { base, unfinished: null, fromGrid, specText };
}

export function recordOfRunDir(facts: RunDirFacts, evaluation: Evaluation | undefined): RunRecord {
  if (facts.unfinished) return { ...facts.base, ...facts.unfinished, scores: null };
  return scored(facts.base, evaluation);
}

function lastLoggedStep(runDir: string): number | null {
  try {
    return readMetrics(join(runDir, METRICS_FILE)).at(-1)?.step ?? null;
  } catch {
    return null;
  }
}

/** From the run directory's name (`<name>-YYYYMMDD-HHMMSS`, UTC) to the last write of metrics.jsonl. */
function secondsFromFiles(runDir: string): number | null {
  const m = /-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)(?:-\d+)?$/.exec(basename(runDir));
  const metrics = join(runDir, METRICS_FILE);
  if (!m || !existsSync(metrics)) return null;
  const start = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const seconds = (statSync(metrics).mtimeMs - start) / 1000;
  return seconds >= 0 ? Math.round(seconds) : null;
}

/** Run directories named on the command line: each a run directory, or a folder searched for them. */
export function findRunDirs(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (existsSync(join(dir, IR_FILE))) {
      found.push(dir);
      return;
    }
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), depth - 1);
    }
  };
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new CompareError(`${path}: not a run directory or a folder of them`);
    const before = found.length;
    walk(path, 3);
    if (found.length === before) throw new CompareError(`${path}: holds no ganc run directory (no ${IR_FILE} within three folders)`);
  }
  return [...new Set(found)];
}

/**
 * One run per method, fraction and seed. A run that stopped early without a grid record, next to
 * another run of the same seed, is an attempt that was killed and trained again: it is left out, and
 * counted. Two complete runs of one seed are an ambiguity the user settles.
 */
export function oneRunPerSeed(facts: RunDirFacts[]): { kept: RunDirFacts[]; superseded: string[] } {
  const groups = new Map<string, RunDirFacts[]>();
  for (const f of facts) {
    const key = `${f.base.method}\u0000${f.base.fraction}\u0000${f.base.seed}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const superseded: string[] = [];
  const keep = new Set<RunDirFacts>();
  for (const group of groups.values()) {
    let complete = group.length > 1 ? group.filter((f) => f.fromGrid || f.unfinished === null) : group;
    // Only stopped attempts: the latest one stands for the seed.
    if (complete.length === 0) complete = [group.at(-1)!];
    for (const f of group) if (!complete.includes(f)) superseded.push(f.base.runDir!);
    if (complete.length > 1) {
      const { method, fraction, seed } = complete[0].base;
      throw new CompareError(`${complete[0].base.runDir} and ${complete[1].base.runDir} are both ${method}, fraction ${fraction}, seed ${seed}: pass one of them`);
    }
    for (const f of complete) keep.add(f);
  }
  return { kept: facts.filter((f) => keep.has(f)), superseded };
}

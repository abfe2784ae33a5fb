// A trial — one variant trained for a number of steps with one seed — and its result: the plain data
// that goes between the coordinator, local worker processes and queue workers.
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';

export interface Trial {
  /** `<variant>.s<steps>.seed<seed>`: the same trial always has the same id (resume, queue job ids). */
  id: string;
  variantId: string;
  rung: number;
  steps: number;
  seed: number;
  specText: string;
  /** The original spec's path: names the trial in messages and anchors relative data folders. */
  specFile: string;
  /** Data batch override (small budgets train small batches). */
  batch?: number;
  /** Generated samples the quality measures use. */
  evalSamples: number;
}

export interface Divergence {
  step: number;
  term: string;
  value: number;
  message: string;
}

export interface TrialResult {
  trialId: string;
  variantId: string;
  rung: number;
  steps: number;
  seed: number;
  /** The quality measures at the end of training; null when it diverged or failed. */
  quality: Record<string, number> | null;
  diverged: Divergence | null;
  /** A failure that is not a divergence (e.g. a run that could not start), as one line. */
  error: string | null;
  runDir: string;
  /** Which process trained it: `host:pid`. */
  worker: string;
  seconds: number;
}

export function trialId(variantId: string, steps: number, seed: number): string {
  return `${variantId}.s${steps}.seed${seed}`;
}

/** A variant id: one path component of letters, digits, '_' and '-' (job.schema.json holds the same). */
export const VARIANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A trial id as trialId writes it: a safe path component, since each trial's runs go in a folder of that name. */
export const TRIAL_ID = /^[A-Za-z0-9_-]{1,64}\.s[0-9]{1,7}\.seed[0-9]{1,10}$/;

/**
 * The folder under `outRoot` where a trial's runs go. A trial id from a search state file or a queue
 * job is outside text: it must match TRIAL_ID, and the folder must lie inside outRoot, before any
 * path is built from it.
 */
export function trialRunsDir(outRoot: string, id: string): string {
  if (!TRIAL_ID.test(id)) throw new UserError(`trial id '${escapeControl(id)}' is not <variant>.s<steps>.seed<seed> of letters, digits, '_' and '-'`);
  const root = resolve(outRoot);
  const dir = resolve(root, id);
  if (dirname(dir) !== root) throw new UserError(`trial id '${id}' is not one folder inside ${root}`);
  return dir;
}

export const isFlagged = (r: TrialResult): boolean => r.diverged !== null || r.error !== null;

/** A trial that could not be trained (its process kept dying, its job failed): ranked, never lost. */
export function failedResult(trial: Trial, error: string, worker: string): TrialResult {
  return {
    trialId: trial.id, variantId: trial.variantId, rung: trial.rung, steps: trial.steps, seed: trial.seed,
    quality: null, diverged: null, error, runDir: '', worker, seconds: 0,
  };
}

// A trial — one variant trained for a number of steps with one seed — and its result: the plain data
// that goes between the coordinator, local worker processes and queue workers.

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

export const isFlagged = (r: TrialResult): boolean => r.diverged !== null || r.error !== null;

/** A trial that could not be trained (its process kept dying, its job failed): ranked, never lost. */
export function failedResult(trial: Trial, error: string, worker: string): TrialResult {
  return {
    trialId: trial.id, variantId: trial.variantId, rung: trial.rung, steps: trial.steps, seed: trial.seed,
    quality: null, diverged: null, error, runDir: '', worker, seconds: 0,
  };
}

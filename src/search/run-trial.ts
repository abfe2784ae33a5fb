// Training one trial in this process: check the variant spec, train it with the trial's overrides,
// and report its quality or its divergence as plain data (a divergence is a result, not an error).
import { hostname } from 'node:os';
import type { BackendName } from '../runtime/backend.js';
import { runTraining } from '../runtime/train/run-training.js';
import { checkSpecText } from './check-spec.js';
import { confineData, type DataPolicy } from './data-root.js';
import { trialRunsDir, type Trial, type TrialResult } from './trial.js';

export interface TrialRunOptions {
  /** Runs are created under `<outRoot>/<trial id>/` (the id is checked to be one safe folder name first). */
  outRoot: string;
  /** Where folder data may come from, for a trial from a queue job; absent: the user's own trial, any folder. */
  dataPolicy?: DataPolicy;
  backend?: BackendName;
  /** Called after every training step (a worker process watches for its parent's death here). */
  onStep?: () => void;
}

export const workerName = (): string => `${hostname()}:${process.pid}`;

export async function runTrial(trial: Trial, opts: TrialRunOptions): Promise<TrialResult> {
  const started = Date.now();
  const base = { trialId: trial.id, variantId: trial.variantId, rung: trial.rung, steps: trial.steps, seed: trial.seed, worker: workerName() };
  try {
    const outRoot = trialRunsDir(opts.outRoot, trial.id);
    const checked = checkSpecText(trial.specText, trial.specFile);
    const ir = opts.dataPolicy ? confineData(checked, trial.specFile, opts.dataPolicy) : checked;
    const run = await runTraining({
      outRoot,
      spec: { text: trial.specText, file: trial.specFile, ir },
      steps: trial.steps,
      seed: trial.seed,
      batch: trial.batch,
      backend: opts.backend,
      evalSamples: trial.evalSamples,
      onIteration: opts.onStep,
    });
    const diverged = run.diverged
      ? { step: run.diverged.step, term: run.diverged.term, value: run.diverged.value, message: run.diverged.message }
      : null;
    return { ...base, quality: diverged ? null : run.quality, diverged, error: null, runDir: run.runDir, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    return { ...base, quality: null, diverged: null, error: message, runDir: '', seconds: (Date.now() - started) / 1000 };
  }
}

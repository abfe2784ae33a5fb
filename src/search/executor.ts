// Where trials run. The coordinator hands an executor the trials a rung needs and hears back each
// result as it finishes; executors differ only in where the training happens.
import type { Trial, TrialResult } from './trial.js';

export interface TrialExecutor {
  /** One line for the user: where the trials run. */
  readonly description: string;
  /** Runs every trial; `onResult` is called once per trial, in the order they finish. */
  runAll(trials: Trial[], onResult: (result: TrialResult) => void): Promise<void>;
  close(): Promise<void>;
}

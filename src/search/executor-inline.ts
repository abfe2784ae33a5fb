// Trials one after another in this process: the default, needing no server and no child process.
import type { BackendName } from '../runtime/backend.js';
import type { TrialExecutor } from './executor.js';
import { runTrial } from './run-trial.js';
import type { Trial, TrialResult } from './trial.js';

export class InlineExecutor implements TrialExecutor {
  readonly description = 'in this process';

  constructor(private readonly outRoot: string, private readonly backend?: BackendName) {}

  async runAll(trials: Trial[], onResult: (result: TrialResult) => void): Promise<void> {
    for (const trial of trials) onResult(await runTrial(trial, { outRoot: this.outRoot, backend: this.backend }));
  }

  async close(): Promise<void> {}
}

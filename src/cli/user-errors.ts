// The runtime's error classes that describe a user's mistake (a missing data folder, a corrupt
// checkpoint, an unavailable backend, ...): the CLI prints their one-line message, exit code 1.
import { BackendError } from '../runtime/backend.js';
import { DataError } from '../runtime/data/index.js';
import { MetricError } from '../runtime/metrics/index.js';
import { ProbeInputError } from '../runtime/probe.js';
import { CheckpointError, RunDirError, SampleGridError } from '../runtime/run/index.js';
import { SafetensorsError } from '../runtime/safetensors.js';
import { UserError } from './io.js';

const USER_ERRORS = [BackendError, DataError, MetricError, ProbeInputError, CheckpointError, RunDirError, SampleGridError, SafetensorsError];

/** Runs `action`, turning the runtime's user-facing errors into UserErrors. */
export async function asUserErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (USER_ERRORS.some((cls) => e instanceof cls)) throw new UserError((e as Error).message);
    throw e;
  }
}

// A run directory read back for inference (`ganc sample`, `ganc eval`): its IR and the generator
// of its latest checkpoint, EMA weights when the run kept them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GanIR } from '../../ir/ir.js';
import { IRValidationError, loadIR } from '../../ir/validate.js';
import { readRegularTextFile } from '../../files.js';
import type { ParamTensors } from '../graph/network.js';
import { loadLatestCheckpoint } from '../run/checkpoint.js';
import { IR_FILE, RunDirError } from '../run/run-dir.js';
import { fromCheckpoint } from './checkpoint-state.js';
import { disposeState } from './trainer.js';

export interface TrainedRun {
  ir: GanIR;
  step: number;
  /** G's parameters for sampling (EMA when present); the caller disposes them. */
  generator: ParamTensors;
  usesEma: boolean;
}

/** ir.json is a few kilobytes; a larger file is not one ganc wrote. */
const MAX_IR_BYTES = 16 * 1024 * 1024;

export function readRunIR(runDir: string): GanIR {
  const path = join(runDir, IR_FILE);
  if (!existsSync(path)) throw new RunDirError(`${runDir}: not a ganc run directory (no ${IR_FILE})`);
  try {
    return loadIR(readRegularTextFile(path, MAX_IR_BYTES, 'IR'));
  } catch (e) {
    if (e instanceof IRValidationError || e instanceof SyntaxError) throw new RunDirError(`${path}: not a valid ganc IR (${e.message})`);
    throw e;
  }
}

export function loadTrainedRun(runDir: string, preferEma = true): TrainedRun {
  const ir = readRunIR(runDir);
  const state = fromCheckpoint(ir, loadLatestCheckpoint(runDir));
  const usesEma = preferEma && state.ema !== null;
  const generator: ParamTensors = {};
  for (const layer of ir.generator.layers) {
    for (const p of layer.params) generator[p.name] = (usesEma ? state.ema! : state.params)[p.name].clone();
  }
  const step = state.step;
  disposeState(state);
  return { ir, step, generator, usesEma };
}

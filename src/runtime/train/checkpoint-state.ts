// TrainingState ↔ checkpoint contents. Tensors are named `param/<name>`, `ema/<name>`,
// `opt.D/<param>/<slot>`, `opt.G/<param>/<slot>`; the rest (step, optimizer step counts,
// regularizer windows, RNG streams) is JSON state. Restoring is exact, so a resumed run repeats
// the numbers an uninterrupted run would have produced.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR } from '../../ir/ir.js';
import type { ParamTensors } from '../graph/network.js';
import type { RngState } from '../rng.js';
import type { TensorMap } from '../safetensors.js';
import { CheckpointError, type CheckpointContents, type LoadedCheckpoint } from '../run/checkpoint.js';
import { allParams } from './init.js';
import type { TrainingState } from './trainer.js';

function exportTensors(prefix: string, tensors: ParamTensors, out: TensorMap): void {
  for (const [name, t] of Object.entries(tensors)) out[`${prefix}/${name}`] = { shape: t.shape, data: t.dataSync() as Float32Array };
}

export function toCheckpoint(state: TrainingState): CheckpointContents {
  const tensors: TensorMap = {};
  exportTensors('param', state.params, tensors);
  if (state.ema) exportTensors('ema', state.ema, tensors);
  exportTensors('opt.D', state.optimizers.D.slots, tensors);
  exportTensors('opt.G', state.optimizers.G.slots, tensors);
  return {
    tensors,
    state: {
      step: state.step,
      optimizerSteps: { D: state.optimizers.D.step, G: state.optimizers.G.step },
      windows: state.windows,
      rng: { data: state.rng.data, noise: state.rng.noise },
    },
  };
}

function importTensors(prefix: string, tensors: TensorMap): ParamTensors {
  const out: ParamTensors = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (key.startsWith(`${prefix}/`)) out[key.slice(prefix.length + 1)] = tf.keep(tf.tensor(t.data, t.shape));
  }
  return out;
}

export function fromCheckpoint(ir: GanIR, checkpoint: LoadedCheckpoint): TrainingState {
  const params = importTensors('param', checkpoint.tensors);
  const missing = allParams(ir).find((p) => !params[p.name]);
  if (missing) {
    tf.dispose(Object.values(params));
    throw new CheckpointError(`${checkpoint.path}: parameter '${missing.name}' is missing; was it written for another spec?`);
  }
  const s = checkpoint.state as {
    step: number;
    optimizerSteps: { D: number; G: number };
    windows: number[][];
    rng: { data: RngState; noise: RngState };
  };
  const ema = importTensors('ema', checkpoint.tensors);
  return {
    step: s.step,
    params,
    ema: Object.keys(ema).length > 0 ? ema : null,
    optimizers: {
      D: { step: s.optimizerSteps.D, slots: importTensors('opt.D', checkpoint.tensors) },
      G: { step: s.optimizerSteps.G, slots: importTensors('opt.G', checkpoint.tensors) },
    },
    windows: s.windows,
    rng: s.rng,
  };
}

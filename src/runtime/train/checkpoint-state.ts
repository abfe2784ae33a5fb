// TrainingState ↔ checkpoint contents. Tensors are named `param/<name>`, `ema/<name>`,
// `opt.D/<param>/<slot>`, `opt.G/<param>/<slot>`; the rest (step, optimizer step counts,
// regularizer windows, RNG streams) is JSON state. Restoring is exact, so a resumed run repeats
// the numbers an uninterrupted run would have produced.
// A checksum only shows that a file is as written; a file edited and re-summed, or written for another
// spec, must still not resume a run from step -5 or with Adam's slots missing. So restoring first holds
// the checkpoint to what this IR's state must be: every tensor it needs with its exact shape (EMA and
// optimizer slots included), nothing else, and every state field of the right type and range.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR, OptimizerSpec } from '../../ir/ir.js';
import type { ParamTensors } from '../graph/network.js';
import type { WindowState } from '../graph/step-values.js';
import { readFloats } from '../readback.js';
import type { RngState } from '../rng.js';
import type { TensorMap } from '../safetensors.js';
import { CheckpointError, type CheckpointContents, type LoadedCheckpoint } from '../run/checkpoint.js';
import { allParams } from './init.js';
import type { TrainingState } from './trainer.js';

async function exportTensors(prefix: string, tensors: ParamTensors, out: TensorMap): Promise<void> {
  for (const [name, t] of Object.entries(tensors)) out[`${prefix}/${name}`] = { shape: t.shape, data: await readFloats(t) };
}

/** Asynchronous because a GPU backend reads tensors back only so; the state's windows must have been read (numbers). */
export async function toCheckpoint(state: TrainingState): Promise<CheckpointContents> {
  if (state.windows.some((w) => w.some((v) => typeof v !== 'number'))) throw new Error('internal: a checkpoint of a state whose window values were not read');
  const tensors: TensorMap = {};
  await exportTensors('param', state.params, tensors);
  if (state.ema) await exportTensors('ema', state.ema, tensors);
  await exportTensors('opt.D', state.optimizers.D.slots, tensors);
  await exportTensors('opt.G', state.optimizers.G.slots, tensors);
  return {
    tensors,
    state: {
      step: state.step,
      optimizerSteps: { D: state.optimizers.D.step, G: state.optimizers.G.step },
      windows: state.windows as number[][],
      rng: { data: state.rng.data, noise: state.rng.noise },
    },
  };
}

/** The slots `applyUpdate` keeps per trainable parameter (optimizers.ts): none for plain SGD. */
function slotNames(spec: OptimizerSpec): string[] {
  switch (spec.kind) {
    case 'adam': return ['m', 'v'];
    case 'sgd': return spec.momentum === 0 ? [] : ['momentum'];
    case 'rmsprop': return ['square_avg'];
  }
}

/** The JSON state as the trainer reads it, once checked. */
interface StateFields {
  step: number;
  optimizerSteps: { D: number; G: number };
  windows: WindowState;
  rng: { data: RngState; noise: RngState };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 60);

/** Every field of the state checked against the IR; a CheckpointError naming the field otherwise. */
function checkState(ir: GanIR, checkpoint: LoadedCheckpoint): StateFields {
  const bad = (field: string, value: unknown, expected: string) =>
    new CheckpointError(`${checkpoint.path}: state field '${field}' is ${show(value)}, expected ${expected} (damaged, edited, or written for another spec)`);
  const s = checkpoint.state;
  if (!isCount(s.step)) throw bad('step', s.step, 'a whole number ≥ 0');
  if (s.step !== checkpoint.step) throw bad('step', s.step, `the file's step ${checkpoint.step}`);
  const opt = s.optimizerSteps;
  if (!isObject(opt)) throw bad('optimizerSteps', opt, 'an object { D, G }');
  // One G update per iteration, and at least one D update (ndis ≥ 1): Adam's bias correction depends on them.
  if (!isCount(opt.G) || opt.G !== s.step) throw bad('optimizerSteps.G', opt.G, `${s.step} (one G update per step)`);
  if (!isCount(opt.D) || opt.D < s.step) throw bad('optimizerSteps.D', opt.D, `a whole number ≥ ${s.step} (at least one D update per step)`);
  const windows = s.windows;
  if (!Array.isArray(windows) || windows.length !== ir.regularizers.length) {
    throw bad('windows', windows, `a list of ${ir.regularizers.length} lists (one per reg)`);
  }
  ir.regularizers.forEach((reg, i) => {
    const past = windows[i];
    const most = Math.max(0, reg.window - 1);
    if (!Array.isArray(past) || past.length > most || !past.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw bad(`windows[${i}]`, past, `a list of at most ${most} finite numbers`);
    }
  });
  const rng = s.rng;
  if (!isObject(rng)) throw bad('rng', rng, 'an object { data, noise }');
  for (const stream of ['data', 'noise'] as const) {
    const v = rng[stream];
    // xoshiro128** must not start from all zeros: it would stay there.
    if (!Array.isArray(v) || v.length !== 4 || !v.every(isUint32) || v.every((x) => x === 0)) {
      throw bad(`rng.${stream}`, v, '4 unsigned 32-bit integers, not all 0');
    }
  }
  return {
    step: s.step,
    optimizerSteps: { D: opt.D, G: opt.G },
    windows: windows as number[][],
    rng: { data: rng.data as RngState, noise: rng.noise as RngState },
  };
}

/** Every tensor the state of this IR at these optimizer steps consists of, by checkpoint name, with its shape. */
function expectedTensors(ir: GanIR, optimizerSteps: { D: number; G: number }): Map<string, number[]> {
  const expected = new Map<string, number[]>();
  for (const p of allParams(ir)) expected.set(`param/${p.name}`, p.shape);
  if (ir.train.ema > 0) for (const layer of ir.generator.layers) for (const p of layer.params) expected.set(`ema/${p.name}`, p.shape);
  for (const net of ['D', 'G'] as const) {
    // Slots appear with the first update (optimizers.ts creates them then).
    if (optimizerSteps[net] === 0) continue;
    const network = net === 'D' ? ir.discriminator : ir.generator;
    for (const layer of network.layers) {
      for (const p of layer.params.filter((q) => q.trainable)) {
        for (const slot of slotNames(ir.optimizers[net])) expected.set(`opt.${net}/${p.name}/${slot}`, p.shape);
      }
    }
  }
  return expected;
}

function checkTensors(path: string, tensors: TensorMap, expected: Map<string, number[]>): void {
  for (const [name, shape] of expected) {
    const t = tensors[name];
    if (!t) throw new CheckpointError(`${path}: tensor '${name}' is missing (written for another spec, or edited?)`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(`${path}: tensor '${name}' has shape [${t.shape.join(', ')}], the spec needs [${shape.join(', ')}]`);
    }
  }
  const unexpected = Object.keys(tensors).sort().find((name) => !expected.has(name));
  if (unexpected) throw new CheckpointError(`${path}: tensor '${unexpected}' is not part of this spec's training state (written for another spec, or edited?)`);
}

function importTensors(prefix: string, tensors: TensorMap): ParamTensors {
  const out: ParamTensors = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (key.startsWith(`${prefix}/`)) out[key.slice(prefix.length + 1)] = tf.keep(tf.tensor(t.data, t.shape));
  }
  return out;
}

export function fromCheckpoint(ir: GanIR, checkpoint: LoadedCheckpoint): TrainingState {
  const s = checkState(ir, checkpoint);
  checkTensors(checkpoint.path, checkpoint.tensors, expectedTensors(ir, s.optimizerSteps));
  const ema = importTensors('ema', checkpoint.tensors);
  return {
    step: s.step,
    params: importTensors('param', checkpoint.tensors),
    ema: Object.keys(ema).length > 0 ? ema : null,
    optimizers: {
      D: { step: s.optimizerSteps.D, slots: importTensors('opt.D', checkpoint.tensors) },
      G: { step: s.optimizerSteps.G, slots: importTensors('opt.G', checkpoint.tensors) },
    },
    windows: s.windows,
    rng: s.rng,
  };
}

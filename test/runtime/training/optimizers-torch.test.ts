// ganc's optimizers against torch.optim (scripts/fixtures/make_optimizer_fixtures.py computed four updates
// of Adam, SGD and RMSprop in float64 from the same float32 parameters and gradients): the parameters
// and every slot after each update agree to 1e-5 of the tensor's largest entry. Runs on the cpu
// backend (the op-by-op formulas) and on ganc's backend, whose native route fuses Adam into one kernel.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../../src/ir/ir.js';
import { selectBackend, type BackendName } from '../../../src/runtime/backend.js';
import type { ParamTensors } from '../../../src/runtime/graph/network.js';
import { kernelProfile, registerGancBackend } from '../../../src/runtime/kernels/index.js';
import { ADAM_UPDATE } from '../../../src/runtime/kernels/adam-update.js';
import { applyUpdate, emptyOptimizerState } from '../../../src/runtime/train/optimizers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/torch-optimizers/', import.meta.url));
const TOLERANCE = 1e-5;

interface FixtureTensor { shape: number[]; data: number[] }
type Tensors = Record<string, FixtureTensor>;
interface Fixture {
  case: string;
  optimizer: OptimizerSpec;
  params: Tensors;
  grads: Tensors[];
  after: { params: Tensors; slots: Tensors }[];
}

const fixtures: Fixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(FIXTURES + f, 'utf8')) as Fixture);

const toTensors = (tensors: Tensors): ParamTensors =>
  Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, tf.tensor(t.data, t.shape, 'float32')]));

/** max|actual − expected| / max|expected| */
function relativeError(actual: tf.Tensor, expected: FixtureTensor): number {
  expect(actual.shape).toEqual(expected.shape);
  const values = actual.dataSync();
  let diff = 0;
  let largest = 1e-12;
  expected.data.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(values[i] - e));
    largest = Math.max(largest, Math.abs(e));
  });
  return diff / largest;
}

/** Replays the fixture's gradients; the worst error over every update, parameter and slot. */
function replay(fixture: Fixture): number {
  const params = toTensors(fixture.params);
  const state = emptyOptimizerState();
  let worst = 0;
  for (const [step, grads] of fixture.grads.entries()) {
    const g = toTensors(grads);
    applyUpdate(fixture.optimizer, params, g, state);
    tf.dispose(Object.values(g));
    const expected = fixture.after[step];
    expect(Object.keys(state.slots).sort(), `${fixture.case} slots`).toEqual(Object.keys(expected.slots).sort());
    for (const [name, t] of Object.entries(expected.params)) worst = Math.max(worst, relativeError(params[name], t));
    for (const [name, t] of Object.entries(expected.slots)) worst = Math.max(worst, relativeError(state.slots[name], t));
  }
  tf.dispose([...Object.values(params), ...Object.values(state.slots)]);
  return worst;
}

describe.each(['cpu', 'ganc'] as BackendName[])('optimizers against torch.optim on the %s backend', (backend) => {
  it.each(fixtures.map((f) => [f.case, f] as const))('%s: four updates', async (_, fixture) => {
    await selectBackend(backend);
    // The fused kernel exists exactly where ganc runs its native kernels.
    const native = backend === 'ganc' && (await registerGancBackend()).route === 'native';
    expect(tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined).toBe(native);
    const fused = native && fixture.optimizer.kind === 'adam';
    kernelProfile.reset();
    kernelProfile.enable();
    const before = tf.memory().numTensors;
    const error = replay(fixture);
    kernelProfile.disable();
    expect(tf.memory().numTensors).toBe(before);
    expect(error, `${fixture.case}: worst relative error`).toBeLessThan(TOLERANCE);
    const fusedCalls = kernelProfile.report().find((k) => k.kernel === ADAM_UPDATE)?.calls ?? 0;
    expect(fusedCalls).toBe(fused ? fixture.grads.length * Object.keys(fixture.params).length : 0);
  });
});

// The GPU route's training loop reads iterations in batches (dispatchIteration, then readIterations once for
// several): the records and the parameters are exactly those of reading every iteration at once (the CPU
// route), R_t's window included while its values are still tensors; and a non-finite value in a batch is
// named by the first step and term where it appeared, not by the last step read. Runs on GANC_TEST_BACKEND
// (default ganc; CI also runs webgpu's every-spec pass, which reads this way).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendName } from '../../../src/runtime/backend.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { readFloats } from '../../../src/runtime/readback.js';
import {
  DivergenceError, dispatchIteration, disposeState, freshState, readIterations, trainIteration, type IterationRecord,
} from '../../../src/runtime/train/trainer.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';
import { compileSpecText } from './compile-spec.js';

const BACKEND = (process.env.GANC_TEST_BACKEND ?? 'ganc') as BackendName;
// R_t^3 over the paper's window of 2 (the past value is still on the device within a batch; with one past
// value the sum is exact either way, so the records must be equal to the bit), and r1.
const SPEC = ring8Spec({ batch: 16, lines: ['let lambda = 10', 'reg lambda * R_t^3 window 2', 'reg 1 * r1'], train: 'steps 6 seed 4' });

beforeAll(async () => {
  await selectBackend(BACKEND);
});

describe('reading iterations in batches', () => {
  it('gives the records, windows and parameters of reading every iteration', async () => {
    const ir = compileSpecText(SPEC);
    const dataset = await loadDataset(ir.data, { seed: 0, specDir: '.' });
    const eager = freshState(ir, 4);
    const batched = freshState(ir, 4);
    const eagerRecords: IterationRecord[] = [];
    for (let i = 0; i < 6; i++) {
      eagerRecords.push(BACKEND === 'webgpu'
        ? (await readIterations([dispatchIteration(ir, dataset, eager)], eager))[0]
        : trainIteration(ir, dataset, eager));
    }
    const batchedRecords: IterationRecord[] = [];
    for (const size of [1, 3, 2]) {
      const pending = Array.from({ length: size }, () => dispatchIteration(ir, dataset, batched));
      batchedRecords.push(...await readIterations(pending, batched));
    }
    const withoutTimes = (records: IterationRecord[]) => records.map(({ stepMs: _, ...rest }) => rest);
    expect(withoutTimes(batchedRecords)).toEqual(withoutTimes(eagerRecords));
    expect(batchedRecords[5].d.regularizers[0].windowed.R_t).toBeDefined();
    expect(batched.windows).toEqual(eager.windows);
    expect(batched.windows[0].every((v) => typeof v === 'number')).toBe(true);
    for (const name of Object.keys(eager.params)) {
      expect(Array.from(await readFloats(batched.params[name])), name).toEqual(Array.from(await readFloats(eager.params[name])));
    }
    disposeState(eager);
    disposeState(batched);
  });

  it('names the first step and term that is not finite, though later steps were dispatched', async () => {
    const ir = compileSpecText(SPEC);
    const dataset = await loadDataset(ir.data, { seed: 0, specDir: '.' });
    const state = freshState(ir, 4);
    const before = tf.memory().numTensors;
    const pending = Array.from({ length: 4 }, () => dispatchIteration(ir, dataset, state));
    // Step 2's r1 and everything of steps 3-4 made non-finite, as a diverging run would.
    const poison = (p: typeof pending[number], from: string) => {
      let on = false;
      p.checks = p.checks.map(([label, t]) => {
        on ||= label === from;
        if (!on) return [label, t];
        t.dispose();
        return [label, tf.scalar(NaN)];
      });
    };
    poison(pending[1], 'r1');
    poison(pending[2], 'loss_D_adversarial');
    poison(pending[3], 'loss_D_adversarial');
    const error = await readIterations(pending, state).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).message).toBe('training diverged at step 2: r1 is NaN');
    disposeState(state);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});

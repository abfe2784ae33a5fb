// No tensor leaks: after warm-up, 300 training iterations of the conv PGN spec (the deepest graph:
// gn/pgn put ∇ₓf inside D, so both steps double-backprop) leave tf.memory().numTensors unchanged.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { selectBackend } from '../../../src/runtime/backend.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { disposeState, freshState, trainIteration } from '../../../src/runtime/train/trainer.js';
import { compileSpecFile, withTraining } from './compile-spec.js';

const SPECS_DIR = join(import.meta.dirname, '../../../specs');

it('300 iterations of specs/pgn.gan leak no tensors', async () => {
  await selectBackend((process.env.GANC_TEST_BACKEND as 'ganc' | 'cpu' | undefined) ?? 'ganc');
  const ir = withTraining(compileSpecFile(join(SPECS_DIR, 'pgn.gan')), { batch: 4 });
  const dataset = await loadDataset(ir.data, { seed: 0, specDir: SPECS_DIR });
  const state = freshState(ir, 0);
  const warmUp = 3;
  for (let i = 0; i < warmUp; i++) trainIteration(ir, dataset, state);
  const baseline = tf.memory().numTensors;
  const counts: number[] = [];
  for (let i = warmUp; i < 300; i++) {
    trainIteration(ir, dataset, state);
    if (i % 50 === 0) counts.push(tf.memory().numTensors);
  }
  expect(counts.every((n) => n === baseline), `tensor counts ${counts} vs ${baseline}`).toBe(true);
  expect(tf.memory().numTensors).toBe(baseline);
  disposeState(state);
}, 300_000);

// Resume equivalence: 60 steps in one go, versus 30, stop, resume to 60, give identical metrics.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readMetrics } from '../../../src/runtime/run/metrics-log.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from './compile-spec.js';

const SPEC = `gan resumable
data ring8 batch 64
latent normal 2
generator
  dense 32
  batchnorm
  relu
  dense 2
discriminator
  dense 32
  lrelu 0.2
  dense 1
loss hinge
let lambda = 10
reg lambda * R_t ^ 3 window 2
reg 1 * gp
optimizer D adam lr 1e-3 betas 0.5 0.9
optimizer G adam lr 1e-3 betas 0.5 0.9
train steps 60 ema 0.9 seed 7 log 1 checkpoint 30 sample 1000 eval 1000
`;

/**
 * What must match: everything but wall-clock fields and quality (each session evaluates at its own
 * last step, so the interrupted run has one more evaluation, at step 30).
 */
const comparable = (path: string) =>
  readMetrics(path).map(({ time: _time, step_ms: _ms, quality: _quality, ...rest }) => rest);

it('30 + resume 30 equals 60 in one go', async () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'ganc-resume-'));
  const file = join(outRoot, 'resumable.gan');
  const spec = { text: SPEC, file, ir: compileSpecText(SPEC, file) };
  const straight = await runTraining({ outRoot: join(outRoot, 'a'), spec, backend: 'cpu' });
  const half = await runTraining({ outRoot: join(outRoot, 'b'), spec, steps: 30, backend: 'cpu' });
  const resumed = await runTraining({ outRoot: join(outRoot, 'b'), resume: half.runDir, steps: 60, backend: 'cpu' });
  expect(resumed.step).toBe(60);
  const a = comparable(join(straight.runDir, 'metrics.jsonl'));
  const b = comparable(join(resumed.runDir, 'metrics.jsonl'));
  expect(a.length).toBe(60);
  expect(b).toEqual(a);
  expect(a[59].windowed.R_t).toBeDefined();
});

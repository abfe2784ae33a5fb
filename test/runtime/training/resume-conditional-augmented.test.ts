// Resume equivalence for the specs whose steps draw more than noise: a class-conditional one (real labels
// from the data RNG, fake labels from the noise RNG, cbatchnorm and an SN'd projection D) and an augmented
// one (DiffAugment's draws in both steps, cr on real_aug, gp's ε). 20 steps in one go, versus 10, stop,
// resume to 20: the same metrics and the same final checkpoint, byte for byte.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics } from '../../../src/runtime/run/metrics-log.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from './compile-spec.js';

const TRAIN = 'train steps 20 ema 0.9 seed 7 log 1 checkpoint 10 sample 1000 eval 1000';

const CONDITIONAL = `gan conditional_resume
data mnist batch 8 labels
latent normal 8 classes 10
generator
  dense 14 * 14 * 2
  reshape 14 14 2
  cbatchnorm
  relu
  deconv 1 kernel 4 stride 2
  tanh
discriminator
  conv 4 kernel 4 stride 2
  lrelu 0.2
  flatten
  projection
  dense 1
normalize D sn
loss hinge
optimizer D adam lr 1e-3 betas 0 0.9
optimizer G adam lr 1e-3 betas 0 0.9
${TRAIN}
`;

const AUGMENTED = `gan augmented_resume
data mnist batch 8 fraction 0.1
latent normal 8
augment flip, translate 0.125, cutout 0.5, color diff
generator
  dense 14 * 14 * 2
  reshape 14 14 2
  batchnorm
  relu
  deconv 1 kernel 4 stride 2
  tanh
discriminator
  conv 4 kernel 4 stride 2
  lrelu 0.2
  flatten
  dense 1
loss wasserstein
reg 10 * cr
reg 1 * gp
optimizer D adam lr 1e-3 betas 0 0.9
optimizer G adam lr 1e-3 betas 0 0.9
${TRAIN}
`;

/** Everything but wall-clock fields and quality (the interrupted run evaluates once more, at step 10). */
const comparable = (runDir: string) =>
  readMetrics(join(runDir, 'metrics.jsonl')).map(({ time: _time, step_ms: _ms, quality: _quality, ...rest }) => rest);

describe.each([['conditional', CONDITIONAL], ['augmented', AUGMENTED]])('%s spec', (_name, text) => {
  it('10 + resume 10 equals 20 in one go: metrics and the final checkpoint', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'ganc-resume-'));
    const file = join(outRoot, 'spec.gan');
    const spec = { text, file, ir: compileSpecText(text, file) };
    const straight = await runTraining({ outRoot: join(outRoot, 'a'), spec, backend: 'ganc' });
    const half = await runTraining({ outRoot: join(outRoot, 'b'), spec, steps: 10, backend: 'ganc' });
    const resumed = await runTraining({ outRoot: join(outRoot, 'b'), resume: half.runDir, steps: 20, backend: 'ganc' });
    expect(resumed.step).toBe(20);
    const a = comparable(straight.runDir);
    expect(a.length).toBe(20);
    expect(comparable(resumed.runDir)).toEqual(a);
    const checkpoint = (runDir: string) => readFileSync(join(runDir, 'checkpoints', 'step-000020.safetensors'));
    expect(checkpoint(resumed.runDir).equals(checkpoint(straight.runDir))).toBe(true);
  });
});

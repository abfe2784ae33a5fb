// A non-finite loss or term stops training with a message naming the step and the term, and the
// run keeps its last good checkpoint.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLatestCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from './compile-spec.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';

const specWith = (lines: string): string =>
  ring8Spec({ name: 'diverges', batch: 32, width: 16, dActivation: 'relu', loss: 'wasserstein', lines: [lines], train: 'steps 40 log 1 checkpoint 1 sample 1000 eval 1000' });

async function train(spec: string) {
  const outRoot = mkdtempSync(join(tmpdir(), 'ganc-diverge-'));
  const file = join(outRoot, 'diverges.gan');
  return runTraining({ outRoot, spec: { text: spec, file, ir: compileSpecText(spec, file) }, backend: 'cpu' });
}

describe('divergence', () => {
  it('names the regularizer whose value is NaN and the step', async () => {
    const result = await train(specWith('reg log(r1 - 1000)'));
    expect(result.diverged?.message).toBe('training diverged at step 1: reg log(r1 - 1000) is NaN');
    expect(result.step).toBe(0);
    expect(existsSync(join(result.runDir, 'report.html'))).toBe(true);
  });

  it('stops when the weights blow up and keeps the checkpoint of the step before', async () => {
    const result = await train(specWith('optimizer G sgd lr 1e30'));
    const diverged = result.diverged!;
    expect(diverged).not.toBeNull();
    expect(diverged.step).toBeGreaterThan(1);
    expect(Number.isFinite(diverged.value)).toBe(false);
    expect(diverged.message).toMatch(/^training diverged at step \d+: \S+ is (NaN|Infinity|-Infinity)$/);
    const checkpoint = loadLatestCheckpoint(result.runDir);
    expect(checkpoint.step).toBe(diverged.step - 1);
  });
});

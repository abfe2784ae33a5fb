// A trial that diverges is a result, with the step and the term that went bad, not an error.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTrial } from '../../src/search/run-trial.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const DIVERGING = ring8Spec({ name: 'diverges', batch: 32, width: 16, dActivation: 'relu', loss: 'wasserstein', lines: ['reg 1e30 * exp(100 * r1)'] });

it('reports a divergence with its step and term', async () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'ganc-trial-'));
  const trial = { id: 'v001.s50.seed0', variantId: 'v001', rung: 0, steps: 50, seed: 0, specText: DIVERGING, specFile: 'diverges.gan', evalSamples: 100 };
  const result = await runTrial(trial, { outRoot });
  expect(result.error).toBeNull();
  expect(result.quality).toBeNull();
  expect(result.diverged).toMatchObject({ step: expect.any(Number), term: expect.any(String) });
  expect(result.diverged!.step).toBeLessThan(50);
  expect(result.diverged!.message).toContain(`training diverged at step ${result.diverged!.step}`);
  expect(result.runDir.startsWith(join(outRoot, trial.id))).toBe(true);
});

it('reports a spec that does not check as a failed trial', async () => {
  const trial = { id: 'x.s5.seed0', variantId: 'x', rung: 0, steps: 5, seed: 0, specText: 'gan broken\n', specFile: 'broken.gan', evalSamples: 100 };
  const result = await runTrial(trial, { outRoot: mkdtempSync(join(tmpdir(), 'ganc-trial-')) });
  expect(result.error).toMatch(/^broken\.gan:\d+:\d+: /);
  expect(result.diverged).toBeNull();
});

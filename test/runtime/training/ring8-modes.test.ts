// The ring8 spec, with its default budget and seed, covers all eight modes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecFile } from './compile-spec.js';

const SPEC_FILE = join(import.meta.dirname, '../../../specs/ring8.gan');

it('specs/ring8.gan reaches all 8 modes within its default step budget', async () => {
  const ir = compileSpecFile(SPEC_FILE);
  const result = await runTraining({
    outRoot: mkdtempSync(join(tmpdir(), 'ganc-ring8-')),
    spec: { text: readFileSync(SPEC_FILE, 'utf8'), file: SPEC_FILE, ir },
    backend: (process.env.GANC_TEST_BACKEND as 'ganc' | 'cpu' | undefined) ?? 'ganc',
  });
  expect(result.diverged).toBeNull();
  expect(result.step).toBe(ir.train.steps);
  expect(result.quality?.modes).toBe(8);
  expect(result.quality?.hq_share).toBeGreaterThan(0.5);
}, 600_000);

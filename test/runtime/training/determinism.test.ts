// Same spec, seed, backend and thread count: bit-identical runs. A conv spec (whose filter gradient is
// split across threads) is trained twice in separate processes with 2 threads; metrics.jsonl without its
// timing fields and every checkpoint file must be equal byte for byte. Before the filter gradient summed
// its parts in a fixed order, such runs differed from the first step. A third run whose native kernels finish
// before their calls return (GANC_DEFERRED=0) must match too: deferring them changes when they run, not
// what they compute.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, runGancProcess } from '../../helpers/cli-processes.js';

const SPEC = `gan conv_determinism
data mnist batch 32
latent normal 16
generator
  dense 7*7*16
  reshape 7 7 16
  batchnorm
  relu
  deconv 16 kernel 4 stride 2
  relu
  deconv 1 kernel 4 stride 2
  tanh
discriminator
  conv 32 kernel 4 stride 2
  lrelu 0.2
  conv 64 kernel 4 stride 2
  lrelu 0.2
  flatten
  dense 1
loss hinge
reg 10 * gp
train steps 4 log 1 checkpoint 2 sample 1000 eval 1000 seed 3
`;

function trainOnce(root: string, name: string, env: Record<string, string> = {}): string {
  const out = join(root, name);
  const spec = join(root, 'determinism.gan');
  const r = runGancProcess(['train', spec, '--out', out], { GANC_THREADS: '2', CI: '1', ...env });
  expect(r.status, r.stderr).toBe(0);
  const [runDir] = readdirSync(out);
  return join(out, runDir);
}

/** metrics.jsonl without wall-clock fields. */
const metricsWithoutTiming = (runDir: string): unknown[] => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
  .trim().split('\n').map((line) => {
    const { time: _t, step_ms: _ms, ...rest } = JSON.parse(line);
    return rest;
  });

it('runs with 2 threads give identical metrics and checkpoints, byte for byte, deferred kernels or not', () => {
  const root = mkdtempSync(join(tmpdir(), 'ganc-determinism-'));
  writeFileSync(join(root, 'determinism.gan'), SPEC);
  const a = trainOnce(root, 'a');
  const metrics = metricsWithoutTiming(a);
  expect(metrics).toHaveLength(4);
  const checkpoints = readdirSync(join(a, 'checkpoints')).filter((f) => f.endsWith('.safetensors')).sort();
  expect(checkpoints.length).toBeGreaterThanOrEqual(2);
  for (const other of [trainOnce(root, 'b'), trainOnce(root, 'undeferred', { GANC_DEFERRED: '0' })]) {
    expect(metricsWithoutTiming(other)).toEqual(metrics);
    expect(readdirSync(join(other, 'checkpoints')).filter((f) => f.endsWith('.safetensors')).sort()).toEqual(checkpoints);
    for (const file of checkpoints) {
      expect(readFileSync(join(other, 'checkpoints', file)).equals(readFileSync(join(a, 'checkpoints', file))), file).toBe(true);
    }
  }
}, PROCESS_TEST_TIMEOUT_MS);

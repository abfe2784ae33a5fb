// Keeps bench/train-bench.ts from rotting: a 3-step ring8 run must write results of the documented shape.
// No timing is asserted (the machine is shared).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ganc-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('train-bench on ring8 for 3 steps writes one result with timings, a kernel profile and peak RSS', () => {
  const out = join(dir, 'train-bench.json');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'bench/train-bench.ts',
    '--specs', 'ring8', '--backends', 'ganc', '--steps', '3', '--warmup', '1', '--profile-steps', '1', '--out', out],
  { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(stdout).toContain('median ms');

  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report).toMatchObject({ cores: expect.any(Number), options: { steps: 3, warmup: 1, profileSteps: 1 } });
  expect(report.results).toHaveLength(1);
  const [result] = report.results;
  expect(result).toMatchObject({ runner: 'ganc', spec: 'ring8', backend: 'ganc', batch: 256, ndis: 1, steps: 3 });
  expect(result.ms.all).toHaveLength(3);
  expect(result.ms.best).toBeLessThanOrEqual(result.ms.median);
  expect(result.peak_rss_mb).toBeGreaterThan(0);
  expect(result.profile.iterations).toBe(1);
  expect(result.profile.kernel_ms).toBeGreaterThan(0);
  expect(result.profile.kernels.map((k: { kernel: string }) => k.kernel)).toContain('BatchMatMul');
});

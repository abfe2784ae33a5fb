// --backend webgpu (tfjs's WebGPU backend over Dawn): without a Vulkan driver it is one line and exit 1,
// before a run directory exists; `ganc info` says what adapter there is or why there is none; and where an
// adapter exists (CI: Mesa's lavapipe, a software Vulkan GPU) a run trains, its run.json names the adapter,
// a software adapter gets a warning, and the same spec and seed train to the same bytes twice.
// Child processes: the driver is hidden with VK_ICD_FILENAMES, read by the Vulkan loader at start-up.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vulkanDriverManifests } from '../../src/runtime/webgpu.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'test', 'helpers', 'ganc-cli.ts');
const RING8 = join(ROOT, 'specs', 'ring8.gan');

function ganc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, XDG_RUNTIME_DIR: tmpdir(), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A metrics.jsonl without its timing fields. */
function metricsWithoutTimes(runDir: string): unknown[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => {
    const { step_ms: _ms, time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return rest;
  });
}

const onlyRun = (out: string): string => join(out, readdirSync(out)[0]);
const hasAdapter = process.platform !== 'linux' || vulkanDriverManifests().length > 0;

describe('webgpu without a Vulkan driver', () => {
  it('ganc train --backend webgpu: one line saying what is missing, exit 1, no run directory', () => {
    const out = mkdtempSync(join(tmpdir(), 'ganc-webgpu-none-'));
    const r = ganc(['train', RING8, '--backend', 'webgpu', '--steps', '1', '--out', out], { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^backend 'webgpu' found no GPU adapter: no Vulkan driver is installed or none sees a device \(.*\); use --backend ganc\n$/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('ganc info says webgpu is unavailable and why, and still exits 0', () => {
    const r = ganc(['info', '--json'], { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { webgpu: { unavailable?: string } };
    expect(info.webgpu.unavailable).toMatch(/no GPU adapter/);
  });

  it('finds driver manifests where the Vulkan loader looks, and only there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganc-icd-'));
    writeFileSync(join(dir, 'x_icd.json'), '{}');
    expect(vulkanDriverManifests({ VK_ICD_FILENAMES: join(dir, 'x_icd.json') })).toEqual([join(dir, 'x_icd.json')]);
    expect(vulkanDriverManifests({ VK_DRIVER_FILES: dir })).toEqual([join(dir, 'x_icd.json')]);
    expect(vulkanDriverManifests({ VK_ICD_FILENAMES: join(dir, 'missing.json') })).toEqual([]);
    mkdirSync(join(dir, 'share', 'vulkan', 'icd.d'), { recursive: true });
    writeFileSync(join(dir, 'share', 'vulkan', 'icd.d', 'y_icd.json'), '{}');
    expect(vulkanDriverManifests({ HOME: dir, XDG_DATA_DIRS: join(dir, 'share') })).toContain(join(dir, 'share', 'vulkan', 'icd.d', 'y_icd.json'));
  });
});

describe.skipIf(!hasAdapter)('webgpu on the adapter of this machine', () => {
  it('ganc info names the adapter: vendor, architecture, software or not', () => {
    const r = ganc(['info', '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { webgpu: { vendor: string; architecture: string; software: boolean } };
    expect(info.webgpu).toEqual(expect.objectContaining({ vendor: expect.any(String), architecture: expect.any(String), software: expect.any(Boolean) }));
  });

  it('trains ring8 for 3 steps twice to identical metrics and checkpoints; run.json names the adapter', () => {
    const runs = [1, 2].map(() => {
      const out = mkdtempSync(join(tmpdir(), 'ganc-webgpu-'));
      const r = ganc(['train', RING8, '--backend', 'webgpu', '--steps', '3', '--batch', '64', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return { dir: onlyRun(out), stderr: r.stderr };
    });
    const info = JSON.parse(readFileSync(join(runs[0].dir, 'run.json'), 'utf8')) as { backend: string; adapter: { software: boolean } };
    expect(info.backend).toBe('webgpu');
    if (info.adapter.software) expect(runs[0].stderr).toMatch(/software adapter: runs on the CPU, not a GPU\): expect CPU speed or worse/);
    expect(metricsWithoutTimes(runs[1].dir)).toEqual(metricsWithoutTimes(runs[0].dir));
    const checkpoint = (dir: string) => readdirSync(join(dir, 'checkpoints')).sort().map((f) => readFileSync(join(dir, 'checkpoints', f)));
    expect(checkpoint(runs[1].dir)).toEqual(checkpoint(runs[0].dir));
  });
});

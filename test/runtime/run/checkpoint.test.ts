import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/runtime/rng.js';
import type { TensorMap } from '../../../src/runtime/safetensors.js';
import { CheckpointError, loadLatestCheckpoint, saveCheckpoint, type CheckpointState } from '../../../src/runtime/run/checkpoint.js';
import { tempDir } from './temp-dir.js';

/** A run folder without checkpoints/: saving creates it. */
function runDir(): string {
  return tempDir('ckpt');
}

function tensors(seed: number): TensorMap {
  const rng = Rng.fromSeed(seed);
  const kernel = rng.fillNormal(new Float32Array(3 * 3 * 4 * 8));
  kernel.set([-0, 1e-45, 3.4028234e38, -1.1754942e-38], 0); // signed zero, subnormal, extremes survive bit for bit
  return {
    'G.0.dense.kernel': { shape: [3, 3, 4, 8], data: kernel },
    'D.0.conv.bias': { shape: [8], data: rng.fillUniform(new Float32Array(8), -1, 1) },
    'ema.G.0.dense.kernel': { shape: [3, 3, 4, 8], data: rng.fillNormal(new Float32Array(288)) },
    'opt.D.adam.m.D.0.conv.bias': { shape: [8], data: new Float32Array(8).fill(0.125) },
    'opt.D.adam.t': { shape: [], data: new Float32Array([17]) },
  };
}

function state(step: number): CheckpointState {
  const rng = Rng.fromSeed(step);
  rng.normal();
  return { rng: rng.getState(), regWindows: { R_t: [0.1 + 0.2, -1 / 3, 1e-300] }, dataEpoch: step % 7, note: 'ünïcode ✓' };
}

function bytesOf(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

describe('checkpoints', () => {
  it('round-trip tensors bit for bit and the state exactly', () => {
    const dir = runDir();
    const saved = tensors(1);
    const path = saveCheckpoint(dir, 1200, { tensors: saved, state: state(1200) });
    expect(path).toBe(join(dir, 'checkpoints', 'step-001200.safetensors'));
    const loaded = loadLatestCheckpoint(dir);
    expect(loaded.step).toBe(1200);
    expect(loaded.path).toBe(path);
    expect(loaded.state).toEqual(state(1200));
    expect(Rng.fromState(loaded.state.rng as never).nextUint32()).toBe(Rng.fromState(state(1200).rng as never).nextUint32());
    expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(saved).sort());
    for (const [name, { shape, data }] of Object.entries(saved)) {
      expect(loaded.tensors[name].shape).toEqual(shape);
      expect(bytesOf(loaded.tensors[name].data).equals(bytesOf(data))).toBe(true);
    }
  });

  it('latest follows the newest save and only the last K are kept', () => {
    const dir = runDir();
    for (let step = 100; step <= 600; step += 100) saveCheckpoint(dir, step, { tensors: tensors(step), state: state(step) }, { keep: 3 });
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['latest', 'step-000400.safetensors', 'step-000500.safetensors', 'step-000600.safetensors']);
    const loaded = loadLatestCheckpoint(dir);
    expect(loaded.step).toBe(600);
    expect(bytesOf(loaded.tensors['D.0.conv.bias'].data).equals(bytesOf(tensors(600)['D.0.conv.bias'].data))).toBe(true);
  });

  it('saving an earlier step (a resumed run) drops the checkpoints after it', () => {
    const dir = runDir();
    for (const step of [100, 200, 300]) saveCheckpoint(dir, step, { tensors: tensors(step), state: state(step) });
    saveCheckpoint(dir, 150, { tensors: tensors(150), state: state(150) });
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['latest', 'step-000100.safetensors', 'step-000150.safetensors']);
    expect(loadLatestCheckpoint(dir).step).toBe(150);
  });

  it('refuses to save NaN, so the last good checkpoint stays the latest', () => {
    const dir = runDir();
    saveCheckpoint(dir, 10, { tensors: tensors(10), state: state(10) });
    const bad = tensors(20);
    bad['D.0.conv.bias'].data[3] = NaN;
    expect(() => saveCheckpoint(dir, 20, { tensors: bad, state: state(20) })).toThrow(/tensor 'D.0.conv.bias' holds NaN at step 20/);
    expect(() => saveCheckpoint(dir, 20, { tensors: tensors(20), state: { window: [Infinity] } })).toThrow(CheckpointError);
    expect(loadLatestCheckpoint(dir).step).toBe(10);
  });

  it('without the latest pointer (killed right after the first save) the newest file is used', () => {
    const dir = runDir();
    saveCheckpoint(dir, 5, { tensors: tensors(5), state: state(5) });
    rmSync(join(dir, 'checkpoints', 'latest'));
    expect(loadLatestCheckpoint(dir).step).toBe(5);
  });
});

describe('checkpoint errors: one line, naming the file', () => {
  function expectCheckpointError(load: () => unknown, ...fragments: string[]): void {
    let error: unknown;
    try {
      load();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckpointError);
    const message = (error as Error).message;
    for (const fragment of fragments) expect(message).toContain(fragment);
    expect(message).not.toContain('\n');
  }

  it('a flipped byte in the tensor data', () => {
    const dir = runDir();
    const path = saveCheckpoint(dir, 7, { tensors: tensors(7), state: state(7) });
    const bytes = readFileSync(path);
    bytes[bytes.length - 100] ^= 0x40;
    writeFileSync(path, bytes);
    expectCheckpointError(() => loadLatestCheckpoint(dir), path, 'corrupt');
  });

  it('a truncated file', () => {
    const dir = runDir();
    const path = saveCheckpoint(dir, 7, { tensors: tensors(7), state: state(7) });
    writeFileSync(path, readFileSync(path).subarray(0, 300));
    expectCheckpointError(() => loadLatestCheckpoint(dir), path);
  });

  it('a file that is not safetensors at all', () => {
    const dir = runDir();
    const path = saveCheckpoint(dir, 7, { tensors: tensors(7), state: state(7) });
    writeFileSync(path, 'hello');
    expectCheckpointError(() => loadLatestCheckpoint(dir), path);
  });

  it('latest naming a file that is gone', () => {
    const dir = runDir();
    const path = saveCheckpoint(dir, 7, { tensors: tensors(7), state: state(7) });
    rmSync(path);
    expectCheckpointError(() => loadLatestCheckpoint(dir), path, 'missing');
  });

  it('no checkpoint at all', () => {
    const dir = runDir();
    expectCheckpointError(() => loadLatestCheckpoint(dir), join(dir, 'checkpoints'), 'no checkpoint');
    expect(existsSync(join(dir, 'checkpoints'))).toBe(false);
  });
});

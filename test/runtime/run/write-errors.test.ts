// When the operating system refuses a write (disk full, read-only file system, permission), every file a
// run writes fails with one user-error line naming the file and the reason, never an internal error
// without a path. The refusals are injected into node:fs, since a test cannot fill a disk or (as root)
// be denied a folder.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { FileError } from '../../../src/files.js';
import { saveCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { MetricsLog } from '../../../src/runtime/run/metrics-log.js';
import { lockRun } from '../../../src/runtime/run/run-lock.js';
import { writeSampleGrid } from '../../../src/runtime/run/sample-grid.js';
import { tempDir } from './temp-dir.js';

/** The errno the next matching fs call fails with, and which calls match. */
const failing: { code?: string; call?: string } = {};

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const refuse = <F extends (...args: never[]) => unknown>(call: string, original: F): F => ((...args: Parameters<F>) => {
    if (failing.call === call && failing.code) {
      throw Object.assign(new Error(`${failing.code}: refused, ${call}`), { code: failing.code, syscall: call });
    }
    return original(...args);
  }) as F;
  return {
    ...fs,
    writeSync: refuse('write', fs.writeSync),
    openSync: refuse('open', fs.openSync),
    writeFileSync: refuse('writeFile', fs.writeFileSync),
    renameSync: refuse('rename', fs.renameSync),
  };
});

afterEach(() => {
  failing.code = undefined;
  failing.call = undefined;
});

function refusal(action: () => unknown): UserError {
  let error: unknown;
  try {
    action();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).not.toContain('\n');
  return error as UserError;
}

const tensors = { w: { shape: [2], data: Float32Array.of(1, 2) } };

describe('writes the operating system refuses', () => {
  it('a full disk while appending to metrics.jsonl', () => {
    const path = join(tempDir('write-errors'), 'metrics.jsonl');
    const log = MetricsLog.open(path);
    failing.code = 'ENOSPC';
    failing.call = 'write';
    const error = refusal(() => log.append({ step: 1, losses: {}, terms: {}, regularizers: {}, windowed: {}, grad_norms: {}, step_ms: 1 }));
    expect(error).toBeInstanceOf(FileError);
    expect(error.message).toBe(`${path}: cannot append to the metrics log: no space left on the device (ENOSPC)`);
    failing.code = undefined;
    log.close();
  });

  it('a full disk while saving a checkpoint: named, and the last good checkpoint stays the latest', () => {
    const run = tempDir('write-errors');
    saveCheckpoint(run, 1, { tensors, state: {} });
    failing.code = 'ENOSPC';
    failing.call = 'write';
    const error = refusal(() => saveCheckpoint(run, 2, { tensors, state: {} }));
    expect(error.message).toBe(`${join(run, 'checkpoints', 'step-000002.safetensors')}: cannot write: no space left on the device (ENOSPC)`);
    failing.code = undefined;
    expect(readdirSync(join(run, 'checkpoints')).sort()).toEqual(['latest', 'step-000001.safetensors']);
  });

  it('a read-only file system under a sample grid', () => {
    const path = join(tempDir('write-errors'), 'grid.png');
    failing.code = 'EROFS';
    failing.call = 'open';
    const error = refusal(() => writeSampleGrid(path, new Float32Array(8), 4, [2]));
    expect(error.message).toBe(`${path}: cannot write the sample grid (EROFS)`);
    expect(existsSync(path)).toBe(false);
  });

  it('no permission to lock a run for training (a resume of a run that is not yours)', () => {
    const run = tempDir('write-errors');
    failing.code = 'EACCES';
    failing.call = 'writeFile';
    expect(refusal(() => lockRun(run)).message).toBe(`${run}: cannot lock the run directory for training: permission denied (EACCES)`);
  });

  it('a name too long for the file system', () => {
    const run = tempDir('write-errors');
    failing.code = 'ENAMETOOLONG';
    failing.call = 'open';
    expect(refusal(() => MetricsLog.open(join(run, 'metrics.jsonl'))).message)
      .toBe(`${join(run, 'metrics.jsonl')}: cannot open the metrics log: a name in the path is too long (ENAMETOOLONG)`);
  });
});

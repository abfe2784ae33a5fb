import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunDir, formatRunTimestamp, RunDirError } from '../../../src/runtime/run/run-dir.js';
import { tempDir } from './temp-dir.js';

const specText = 'gan ring\ndata ring8 batch 64   # spacing kept as written\n';
const ir = { version: 1, name: 'ring', data: { kind: 'ring8', shape: [2] } };
const startedAt = new Date(Date.UTC(2026, 10, 24, 18, 5, 9));

describe('createRunDir', () => {
  it('creates <name>-<YYYYMMDD-HHMMSS>/ with samples/, checkpoints/, the spec as given and ir.json', () => {
    const root = tempDir('runs');
    const dir = createRunDir(root, 'ring', { specText, ir }, { startedAt });
    expect(basename(dir)).toBe('ring-20261124-180509');
    expect(statSync(join(dir, 'samples')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'checkpoints')).isDirectory()).toBe(true);
    expect(readFileSync(join(dir, 'spec.gan'), 'utf8')).toBe(specText);
    expect(JSON.parse(readFileSync(join(dir, 'ir.json'), 'utf8'))).toEqual(ir);
    expect(readdirSync(root)).toEqual(['ring-20261124-180509']);
  });

  it('gives runs started in the same second distinct directories', () => {
    const root = tempDir('runs');
    const dirs = [1, 2, 3].map(() => createRunDir(root, 'ring', { specText, ir }, { startedAt }));
    expect(dirs.map((d) => basename(d))).toEqual(['ring-20261124-180509', 'ring-20261124-180509-2', 'ring-20261124-180509-3']);
  });

  it('the runs folder is created when missing', () => {
    const root = join(tempDir('runs'), 'nested', 'runs');
    expect(existsSync(createRunDir(root, 'ring', { specText, ir }))).toBe(true);
  });

  it('leaves no directory behind when writing fails midway (ir.json after spec.gan)', () => {
    const root = tempDir('runs');
    const circular: Record<string, unknown> = { name: 'ring' };
    circular.self = circular;
    expect(() => createRunDir(root, 'ring', { specText, ir: circular }, { startedAt })).toThrow(RunDirError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('the error is one line naming the folder', () => {
    const root = tempDir('runs');
    const failing = { toJSON: () => { throw new Error('boom'); } };
    try {
      createRunDir(root, 'ring', { specText, ir: failing }, { startedAt });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain(root);
      expect((e as Error).message).toContain('boom');
      expect((e as Error).message).not.toContain('\n');
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('a name too long for the file system is one RunDirError line, not an internal error from the clean-up', () => {
    const root = tempDir('runs');
    expect(() => createRunDir(root, 'a'.repeat(300), { specText, ir }, { startedAt })).toThrow(/: cannot create run directory a+-20\d{6}-\d{6} \(ENAMETOOLONG\)$/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('rejects a name that is not one safe path component, creating nothing', () => {
    const root = tempDir('runs');
    for (const name of ['../escape', 'a/b', '.hidden', '']) {
      expect(() => createRunDir(root, name, { specText, ir })).toThrow(RunDirError);
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('formats the time in UTC with zero padding', () => {
    expect(formatRunTimestamp(new Date(Date.UTC(2027, 0, 2, 3, 4, 5)))).toBe('20270102-030405');
  });
});

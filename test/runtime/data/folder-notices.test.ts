// A data folder's loader says what it loaded ("N images loaded (WxH, C channels)") and warns, one line
// each, where every batch must repeat images.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { loadDataset } from '../../../src/runtime/data/index.js';

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ganc-folder-notices-'));
  mkdirSync(join(root, 'twelve'));
  for (let i = 0; i < 12; i++) {
    await sharp(Buffer.alloc(6 * 4 * 3, 20 * i), { raw: { width: 6, height: 4, channels: 3 } }).png().toFile(join(root, 'twelve', `${i}.png`));
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const spec = (extra: Partial<DataSpec>): DataSpec =>
  ({ kind: 'folder', batch: 8, fraction: 1, shape: [4, 4, 3], path: 'twelve', ...extra });

async function noticesOf(data: DataSpec): Promise<string[]> {
  const notices: string[] = [];
  await loadDataset(data, { seed: 0, specDir: root, cacheDir: join(root, 'cache'), onNotice: (line) => notices.push(line) });
  return notices;
}

it.each([
  ['enough images', spec({}), ['12 images loaded (4x4, 3 channels)']],
  ['fewer images than a batch', spec({ batch: 64 }), [
    '12 images loaded (4x4, 3 channels)',
    'warning: data folder "twelve" holds 12 images, fewer than a batch of 64: every batch repeats images (add images or lower \'batch\')',
  ]],
  ['a fraction that keeps fewer than a batch', spec({ fraction: 0.25 }), [
    '3 images loaded (4x4, 3 channels; fraction 0.25 of 12)',
    'warning: fraction 0.25 keeps 3 of the 12 images of data folder "twelve", fewer than a batch of 8: every batch repeats images (raise \'fraction\' or lower \'batch\')',
  ]],
])('%s', async (_name, data, expected) => {
  expect(await noticesOf(data)).toEqual(expected);
});

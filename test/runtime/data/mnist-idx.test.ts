// `data mnist-idx "PATH"`: MNIST's IDX training images file, plain or gzipped, read from a folder; every bad
// or missing file is a one-line DataError. The files here are written by the test in the IDX format.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { DataError, loadDataset } from '../../../src/runtime/data/index.js';
import { readIdxImages } from '../../../src/runtime/data/mnist-idx.js';
import { Rng } from '../../../src/runtime/rng.js';

const PIXELS = 28 * 28;
let root: string;

/** An IDX3 unsigned-byte file: magic 0x00000803, count, rows, columns (big-endian), then the pixels. */
function idxImages(count: number, pixel: (image: number, i: number) => number, { rows = 28, columns = 28, magic = 0x803 } = {}): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(magic, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(rows, 8);
  header.writeUInt32BE(columns, 12);
  const body = Buffer.alloc(count * rows * columns);
  for (let n = 0; n < count; n++) for (let i = 0; i < rows * columns; i++) body[n * rows * columns + i] = pixel(n, i);
  return Buffer.concat([header, body]);
}

/** Image n is uniformly grey level 50·n, so each row of the table says which image it is. */
const grey = (n: number): number => 50 * n;

function folderWith(name: string, files: Record<string, Buffer>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

const spec = (path: string, extra: Partial<DataSpec> = {}): DataSpec =>
  ({ kind: 'mnist-idx', batch: 4, fraction: 1, shape: [28, 28, 1], path, ...extra });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ganc-idx-'));
  const five = idxImages(5, grey);
  folderWith('plain', { 'train-images-idx3-ubyte': five, 'train-labels-idx1-ubyte': Buffer.alloc(8 + 5) });
  folderWith('gz', { 'train-images-idx3-ubyte.gz': gzipSync(five) });
  folderWith('dotted', { 'train-images.idx3-ubyte': five });
  folderWith('empty', { 'README.txt': Buffer.from('no digits') });
  folderWith('magic', { 'train-images-idx3-ubyte': idxImages(2, grey, { magic: 0x801 }) });
  folderWith('size', { 'train-images-idx3-ubyte': idxImages(2, grey, { rows: 32, columns: 32 }) });
  folderWith('truncated', { 'train-images-idx3-ubyte': idxImages(3, grey).subarray(0, 16 + 2 * PIXELS + 10) });
  folderWith('badgz', { 'train-images-idx3-ubyte.gz': Buffer.from('not gzip at all') });
  folderWith('short', { 'train-images-idx3-ubyte': Buffer.from([0, 0, 8, 3]) });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('data mnist-idx', () => {
  it.each(['plain', 'gz', 'dotted'])('reads %s: every digit, in file order, scaled to [-1, 1]', (name) => {
    const file = { plain: 'train-images-idx3-ubyte', gz: 'train-images-idx3-ubyte.gz', dotted: 'train-images.idx3-ubyte' }[name]!;
    const table = readIdxImages(join(root, name, file));
    expect(table.count).toBe(5);
    expect(table.images).toHaveLength(5 * PIXELS);
    for (let n = 0; n < 5; n++) {
      expect(table.images[n * PIXELS]).toBeCloseTo(grey(n) / 127.5 - 1, 6);
      expect(table.images[n * PIXELS + PIXELS - 1]).toBeCloseTo(grey(n) / 127.5 - 1, 6);
    }
  });

  it('is a data set of 28×28×1 digits, relative to the spec\'s folder, and tells what it loaded', async () => {
    const notices: string[] = [];
    const dataset = await loadDataset(spec('gz'), { seed: 0, specDir: root, onNotice: (line) => notices.push(line) });
    expect(dataset.shape).toEqual([28, 28, 1]);
    expect(dataset.size).toBe(5);
    const batch = dataset.batch(Rng.fromSeed(1), 8);
    const levels = new Set(Array.from({ length: 8 }, (_, i) => Math.round((batch[i * PIXELS] + 1) * 127.5)));
    for (const level of levels) expect([0, 50, 100, 150, 200]).toContain(level);
    expect(notices).toEqual(['5 images loaded (28x28, 1 channel)']);
  });

  it('keeps the seeded fraction and warns when it leaves fewer digits than a batch', async () => {
    const notices: string[] = [];
    const dataset = await loadDataset(spec('plain', { fraction: 0.4 }), { seed: 3, specDir: root, onNotice: (line) => notices.push(line) });
    expect(dataset.size).toBe(2);
    expect(notices).toEqual([
      '2 images loaded (28x28, 1 channel; fraction 0.4 of 5)',
      'warning: fraction 0.4 keeps 2 of the 5 images of data mnist-idx "plain", fewer than a batch of 4: '
        + "every batch repeats images (raise 'fraction' or lower 'batch')",
    ]);
  });

  it.each([
    ['no-such-folder', /^data mnist-idx "no-such-folder": folder not found \(looked for .*no-such-folder; a relative path starts at the spec file's folder\)$/],
    ['empty', /^data mnist-idx "empty": no train-images-idx3-ubyte \(or \.gz\) in .*empty: put the MNIST training images file there/],
    ['magic', /train-images-idx3-ubyte: not an IDX image file \(magic 0x00000801, expected 0x00000803\)$/],
    ['size', /train-images-idx3-ubyte: holds 32×32 images; MNIST digits are 28×28$/],
    ['truncated', /train-images-idx3-ubyte: truncated: its header says 3 images of 28×28 \(2368 bytes\), the file has 1594$/],
    ['badgz', /train-images-idx3-ubyte\.gz: not a readable gzip file \(.+\)$/],
    ['short', /train-images-idx3-ubyte: not an IDX image file \(4 bytes, shorter than its 16-byte header\)$/],
  ])('%s: one line that says what is wrong', async (name, message) => {
    const error = await loadDataset(spec(name), { seed: 0, specDir: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { DataError, loadDataset, readImageFolder } from '../../../src/runtime/data/index.js';
import { Rng } from '../../../src/runtime/rng.js';

let root: string;
let cacheDir: string;

/** Writes a width × height image whose pixel (x, y) has the colour `paint(x, y)` ([r, g, b], 0–255). */
async function writeImage(path: string, width: number, height: number, paint: (x: number, y: number) => number[]) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(paint(x, y), (y * width + x) * 3);
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  await (path.endsWith('.png') ? image.png() : image.jpeg({ quality: 95 })).toFile(path);
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

const folderSpec = (path: string, size: number, channels: 1 | 3, extra: Partial<DataSpec> = {}): DataSpec =>
  ({ kind: 'folder', batch: 8, fraction: 1, shape: [size, size, channels], path, ...extra });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ganc-folder-'));
  cacheDir = join(root, 'cache');
  // rgb/: 48×32 PNGs, red left half / blue right half, and one 32×48 JPEG in a subfolder.
  mkdirSync(join(root, 'rgb', 'sub'), { recursive: true });
  for (const name of ['a.png', 'b.png']) await writeImage(join(root, 'rgb', name), 48, 32, (x) => (x < 24 ? RED : BLUE));
  await writeImage(join(root, 'rgb', 'sub', 'c.jpg'), 32, 48, (x) => (x < 16 ? RED : BLUE));
  writeFileSync(join(root, 'rgb', 'notes.txt'), 'not an image');
  // crop/: 60×20, white in the middle third only: a center crop to 20×20 keeps only white.
  mkdirSync(join(root, 'crop'));
  await writeImage(join(root, 'crop', 'wide.png'), 60, 20, (x) => (x >= 20 && x < 40 ? WHITE : BLACK));
  // halves/: 16×16, white left half, black right half: shows flips.
  mkdirSync(join(root, 'halves'));
  await writeImage(join(root, 'halves', 'h.jpeg'), 16, 16, (x) => (x < 8 ? WHITE : BLACK));
  // grey/: a single-channel PNG, mid grey.
  mkdirSync(join(root, 'grey'));
  await sharp(Buffer.alloc(12 * 12, 128), { raw: { width: 12, height: 12, channels: 1 } }).png().toFile(join(root, 'grey', 'g.png'));
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'empty', 'readme.md'), 'no images here');
  mkdirSync(join(root, 'corrupt'));
  await writeImage(join(root, 'corrupt', 'good.png'), 8, 8, () => WHITE);
  writeFileSync(join(root, 'corrupt', 'bad.png'), Buffer.from('this is not a PNG file at all'));
  mkdirSync(join(root, 'mixed'));
  await writeImage(join(root, 'mixed', 'a.png'), 8, 8, () => WHITE);
  await writeImage(join(root, 'mixed', 'b.png'), 10, 8, () => WHITE);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pixel (x, y) of image `row` of an NHWC table. */
function pixel(images: Float32Array, [height, width, channels]: number[], row: number, x: number, y: number): number[] {
  const at = ((row * height + y) * width + x) * channels;
  return Array.from(images.subarray(at, at + channels));
}

describe('folder data sets', () => {
  it('decode PNG and JPEG (subfolders included) into RGB NHWC in [-1, 1], center-cropped and resized', async () => {
    const table = await readImageFolder(join(root, 'rgb'), { size: 8, channels: 3 }, null);
    expect(table.count).toBe(3);
    expect(table.shape).toEqual([8, 8, 3]);
    expect(table.files.map((file) => file.slice(root.length))).toEqual(['/rgb/a.png', '/rgb/b.png', '/rgb/sub/c.jpg']);
    expect(table.images.every((v) => v >= -1 && v <= 1)).toBe(true);
    for (let row = 0; row < 3; row++) {
      const left = pixel(table.images, table.shape, row, 0, 4);
      const right = pixel(table.images, table.shape, row, 7, 4);
      [[left, [1, -1, -1]], [right, [-1, -1, 1]]].forEach(([got, want]) => got.forEach((v, c) => expect(v).toBeCloseTo(want[c], 1)));
    }
  });

  it('crop the center square of a non-square image before resizing', async () => {
    const table = await readImageFolder(join(root, 'crop'), { size: 5, channels: 3 }, null);
    // Only the white middle third survives (the black thirds would read -1); Lanczos ringing at the crop's
    // edge dims the border pixels a little.
    expect(table.images.every((v) => v > 0.8)).toBe(true);
  });

  it('convert to one grey channel with channels 1', async () => {
    const dataset = await loadDataset(folderSpec('halves', 16, 1), { seed: 0, specDir: root, cacheDir });
    expect(dataset.shape).toEqual([16, 16, 1]);
    const image = dataset.batch(Rng.fromSeed(0), 1);
    expect(image).toHaveLength(256);
    expect(image[16 * 8 + 0]).toBeCloseTo(1, 1); // white left
    expect(image[16 * 8 + 15]).toBeCloseTo(-1, 1); // black right
  });

  it('read a single-channel PNG as three equal channels with channels 3', async () => {
    const table = await readImageFolder(join(root, 'grey'), { size: 6, channels: 3 }, null);
    expect(table.shape).toEqual([6, 6, 3]);
    for (const v of table.images) expect(v).toBeCloseTo(128 / 127.5 - 1, 2);
  });

  it('flip images horizontally at random with `flip`, and never without it', async () => {
    const leftIsWhite = (images: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => images[i * 256 + 16 * 8] > 0);
    const plain = await loadDataset(folderSpec('halves', 16, 1), { seed: 0, specDir: root, cacheDir });
    expect(leftIsWhite(plain.batch(Rng.fromSeed(1), 64), 64).every(Boolean)).toBe(true);
    const flipped = await loadDataset(folderSpec('halves', 16, 1, { flip: true }), { seed: 0, specDir: root, cacheDir });
    const orientations = leftIsWhite(flipped.batch(Rng.fromSeed(1), 64), 64);
    const mirrored = orientations.filter((white) => !white).length;
    expect(mirrored).toBeGreaterThan(16);
    expect(mirrored).toBeLessThan(48);
    expect(flipped.batch(Rng.fromSeed(1), 64)).toEqual(flipped.batch(Rng.fromSeed(1), 64));
  });

  it('resolve relative paths against the spec folder and keep a seeded fraction', async () => {
    const dataset = await loadDataset(folderSpec('rgb', 8, 3, { fraction: 0.34 }), { seed: 0, specDir: root, cacheDir });
    expect(dataset.size).toBe(1);
    expect(dataset.name).toContain('folder "rgb"');
  });

  it('cache the decoded tensor and decode again when a file changes', async () => {
    const dir = join(root, 'rgb');
    const cache = join(root, 'own-cache');
    const first = await readImageFolder(dir, { size: 8, channels: 3 }, cache);
    expect(first.fromCache).toBe(false);
    expect(readdirSync(cache).filter((name) => name.endsWith('.safetensors'))).toHaveLength(1);
    const second = await readImageFolder(dir, { size: 8, channels: 3 }, cache);
    expect(second.fromCache).toBe(true);
    expect(second.images).toEqual(first.images);
    expect((await readImageFolder(dir, { size: 8, channels: 1 }, cache)).fromCache).toBe(false); // other options
    utimesSync(join(dir, 'a.png'), new Date(), new Date(Date.now() + 5000));
    expect((await readImageFolder(dir, { size: 8, channels: 3 }, cache)).fromCache).toBe(false);
  });

  describe('errors: one line, naming the place, as DataError', () => {
    const failure = async (load: () => Promise<unknown>): Promise<DataError> => {
      const error = await load().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).not.toContain('\n');
      return error as DataError;
    };

    it('a missing folder', async () => {
      const error = await failure(() => loadDataset(folderSpec('no/such/folder', 8, 3), { seed: 0, specDir: root, cacheDir }));
      expect(error.message).toBe(`data folder "no/such/folder" not found (looked for ${join(root, 'no/such/folder')})`);
    });

    it('a folder without images', async () => {
      const error = await failure(() => loadDataset(folderSpec('empty', 8, 3), { seed: 0, specDir: root, cacheDir }));
      expect(error.message).toMatch(/^data folder "empty" holds no \.png\/\.jpg\/\.jpeg images/);
    });

    it('an unreadable image', async () => {
      const error = await failure(() => loadDataset(folderSpec('corrupt', 8, 3), { seed: 0, specDir: root, cacheDir }));
      expect(error.message).toMatch(new RegExp(`^${join(root, 'corrupt', 'bad.png')}: cannot read image \\(`));
    });

    it('images of different sizes when no size is given', async () => {
      const error = await failure(() => readImageFolder(join(root, 'mixed'), { channels: 3 }, null));
      expect(error.message).toBe(
        `${join(root, 'mixed', 'b.png')}: 10×8 differs from ${join(root, 'mixed', 'a.png')} (8×8); give \`size N\` to resize all images`);
    });
  });
});

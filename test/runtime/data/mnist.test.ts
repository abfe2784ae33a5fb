import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { fractionSubset } from '../../../src/runtime/data/dataset.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { loadMnistSplits, MNIST_HELD_OUT_COUNT } from '../../../src/runtime/data/mnist.js';
import { Rng } from '../../../src/runtime/rng.js';

const PIXELS = 28 * 28;
const spec = (fraction: number): DataSpec => ({ kind: 'mnist', batch: 64, fraction, shape: [28, 28, 1] });

/** One number per image that tells digits apart (a position-weighted pixel sum); cheaper than comparing rows. */
function rowKeys(images: Float32Array, count: number): Set<number> {
  return new Set(Array.from({ length: count }, (_, row) => {
    let key = 0;
    for (let i = 0; i < PIXELS; i++) key += images[row * PIXELS + i] * (i + 1) * (i % 7 + 1);
    return key;
  }));
}

const sameBytes = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('mnist', () => {
  it('splits the package\'s 10,000 digits into 8,000 training and 2,000 held-out digits in [-1, 1]', () => {
    const { train, heldOut } = loadMnistSplits();
    expect(train.count + heldOut.count).toBe(10000);
    expect(heldOut.count).toBe(MNIST_HELD_OUT_COUNT);
    for (const part of [train, heldOut]) {
      expect(part.images).toHaveLength(part.count * PIXELS);
      expect(Math.min(...part.images.subarray(0, 20 * PIXELS))).toBe(-1);
      expect(Math.max(...part.images.subarray(0, 20 * PIXELS))).toBe(1);
      expect(part.images.every((v) => v >= -1 && v <= 1)).toBe(true);
      const perClass = new Array<number>(10).fill(0);
      part.labels.forEach((digit) => perClass[digit]++);
      for (const count of perClass) expect(count).toBeGreaterThan(part.count / 20); // every digit on both sides
      const firstDigits = new Set(part.labels.subarray(0, 100));
      expect(firstDigits.size).toBe(10); // shuffled: a prefix is a sample of all classes
    }
    const trainRows = rowKeys(train.images, train.count);
    const overlap = [...rowKeys(heldOut.images, heldOut.count)].filter((row) => trainRows.has(row));
    expect(overlap.length).toBeLessThan(5); // the package itself may repeat a digit or two
  });

  it('serves 28×28×1 batches of training digits, the same for the same RNG state', async () => {
    const dataset = await loadDataset(spec(1), { seed: 0, specDir: '.' });
    expect(dataset.shape).toEqual([28, 28, 1]);
    expect(dataset.size).toBe(8000);
    const batch = dataset.batch(Rng.fromSeed(1), 16);
    expect(batch).toHaveLength(16 * PIXELS);
    expect(batch.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(sameBytes(dataset.batch(Rng.fromSeed(1), 16), batch)).toBe(true);
    expect(sameBytes(dataset.batch(Rng.fromSeed(2), 16), batch)).toBe(false);
  });

  it('keeps a fixed seeded subset for fraction 0.1: the same for the same seed, another for another seed', async () => {
    const draw = async (seed: number) => (await loadDataset(spec(0.1), { seed, specDir: '.' })).batch(Rng.fromSeed(9), 3000);
    const subset = await loadDataset(spec(0.1), { seed: 5, specDir: '.' });
    expect(subset.size).toBe(800);
    expect(sameBytes(await draw(5), await draw(5))).toBe(true);
    const rowsSeed5 = rowKeys(await draw(5), 3000);
    const rowsSeed6 = rowKeys(await draw(6), 3000);
    expect(rowsSeed5.size).toBeLessThanOrEqual(800); // 3,000 draws never leave the 800 kept digits
    expect(rowsSeed5.size).toBeGreaterThan(700); // and reach almost all of them
    const shared = [...rowsSeed5].filter((row) => rowsSeed6.has(row)).length;
    expect(shared).toBeLessThan(0.3 * rowsSeed5.size); // two random 10% subsets share about 10%
  });

  it('fractionSubset is sorted, distinct, round(F·count) long and a pure function of the seed', () => {
    const kept = fractionSubset(1000, 0.25, 3);
    expect(kept).toHaveLength(250);
    expect(new Set(kept).size).toBe(250);
    expect([...kept]).toEqual([...kept].sort((a, b) => a - b));
    expect(fractionSubset(1000, 0.25, 3)).toEqual(kept);
    expect(fractionSubset(1000, 0.25, 4)).not.toEqual(kept);
    expect(() => fractionSubset(1000, 0, 3)).toThrow(/fraction must lie in \(0, 1\]/);
  });
});

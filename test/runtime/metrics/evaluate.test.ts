import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { loadMnistSplits } from '../../../src/runtime/data/mnist.js';
import { evaluateSamples, MetricError } from '../../../src/runtime/metrics/index.js';
import { Rng } from '../../../src/runtime/rng.js';

const root = mkdtempSync(join(tmpdir(), 'ganc-evaluate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('evaluateSamples', () => {
  it('scores the mixtures by modes and hq_share', async () => {
    const data: DataSpec = { kind: 'grid25', batch: 64, fraction: 1, shape: [2] };
    const dataset = await loadDataset(data, { seed: 0, specDir: '.' });
    const scores = await evaluateSamples(data, dataset, dataset.batch(Rng.fromSeed(1), 2500), 2500);
    expect(Object.keys(scores).sort()).toEqual(['hq_share', 'modes']);
    expect(scores.modes).toBe(25);
    expect(scores.hq_share).toBeGreaterThan(0.97);
  });

  it('scores MNIST by fd_lenet and class_coverage', async () => {
    const data: DataSpec = { kind: 'mnist', batch: 64, fraction: 1, shape: [28, 28, 1] };
    const dataset = await loadDataset(data, { seed: 0, specDir: '.' });
    const n = 500;
    const heldOut = loadMnistSplits().heldOut.images.subarray(0, n * 784); // a random prefix
    const real = await evaluateSamples(data, dataset, heldOut, n);
    expect(Object.keys(real).sort()).toEqual(['class_coverage', 'fd_lenet']);
    expect(real.class_coverage).toBe(1);
    // A generator that draws only ones: one class, and far from the data.
    const { train } = loadMnistSplits();
    const rowsOfOnes = [...train.labels.keys()].filter((row) => train.labels[row] === 1);
    const ones = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) ones.set(train.images.subarray(rowsOfOnes[i] * 784, (rowsOfOnes[i] + 1) * 784), i * 784);
    const collapsed = await evaluateSamples(data, dataset, ones, n);
    expect(collapsed.class_coverage).toBe(0.1);
    expect(collapsed.fd_lenet).toBeGreaterThan(5 * real.fd_lenet);
  });

  it('refuses a user feature model with a one-line MetricError instead of ignoring it', async () => {
    const data: DataSpec = { kind: 'ring8', batch: 64, fraction: 1, shape: [2] };
    const dataset = await loadDataset(data, { seed: 0, specDir: '.' });
    const attempt = evaluateSamples(data, dataset, new Float32Array(20), 10, { featureModel: 'inception/model.json' });
    await expect(attempt).rejects.toThrow(MetricError);
    await expect(attempt).rejects.toThrow(/^feature model "inception\/model.json": user-supplied feature models are not supported yet/);
  });

  it('scores folders by fd_randproj: small for the data itself, large for noise', async () => {
    mkdirSync(join(root, 'faces'));
    const rng = Rng.fromSeed(2);
    for (let i = 0; i < 12; i++) {
      // Smooth random gradients: a toy data set whose statistics differ clearly from uniform noise.
      const tone = 60 + rng.int(120);
      const pixels = Buffer.alloc(16 * 16 * 3);
      for (let p = 0; p < 256; p++) pixels.fill(Math.min(255, tone + (p % 16) * 4), p * 3, p * 3 + 3);
      await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(join(root, 'faces', `${i}.png`));
    }
    const data: DataSpec = { kind: 'folder', batch: 8, fraction: 1, shape: [16, 16, 3], path: 'faces' };
    const dataset = await loadDataset(data, { seed: 0, specDir: root, cacheDir: join(root, 'cache') });
    const n = 300;
    const own = await evaluateSamples(data, dataset, dataset.batch(Rng.fromSeed(3), n), n);
    const noise = await evaluateSamples(data, dataset, Rng.fromSeed(4).fillUniform(new Float32Array(n * 768), -1, 1), n);
    expect(Object.keys(own)).toEqual(['fd_randproj']);
    expect(noise.fd_randproj).toBeGreaterThan(20 * own.fd_randproj);
  });
});

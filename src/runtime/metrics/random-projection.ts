// fd_randproj: a Fréchet distance for image folders, where no pretrained feature network is available offline.
// Features are a fixed random linear projection (seeded, so the same for every run and every ganc install of
// this version) of the images area-downsampled to at most 16×16. A named substitute for FID, not FID: it sees
// colour, brightness and coarse layout statistics, not semantics; compare values only within one data set.
import { Rng } from '../rng.js';
import { fitGaussian, type GaussianFit } from './frechet.js';
import { MetricError } from './metric-error.js';

const GRID = 16;
const RANDPROJ_DIM = 64;
const PROJECTION_SEED = 0x5eed;

/** Averages each channel over a grid of up to 16×16 cells (cell of a pixel: floor(y·G/H), floor(x·G/W)). */
function downsample(image: Float32Array, [height, width, channels]: number[]): Float64Array {
  const rows = Math.min(GRID, height);
  const cols = Math.min(GRID, width);
  const sums = new Float64Array(rows * cols * channels);
  const counts = new Float64Array(rows * cols);
  for (let y = 0; y < height; y++) {
    const cy = Math.floor((y * rows) / height);
    for (let x = 0; x < width; x++) {
      const cell = cy * cols + Math.floor((x * cols) / width);
      counts[cell]++;
      for (let c = 0; c < channels; c++) sums[cell * channels + c] += image[(y * width + x) * channels + c];
    }
  }
  return sums.map((sum, i) => sum / counts[Math.floor(i / channels)]);
}

/** The fixed projection for inputs of a given width: N(0, 1/inputDim) entries, [inputDim, RANDPROJ_DIM]. */
function projectionMatrix(inputDim: number): Float64Array {
  const rng = Rng.fromSeed(PROJECTION_SEED);
  const scale = 1 / Math.sqrt(inputDim);
  return Float64Array.from({ length: inputDim * RANDPROJ_DIM }, () => rng.normal() * scale);
}

/** n images of `shape` (NHWC) → n × RANDPROJ_DIM features. */
function randomProjectionFeatures(images: Float32Array, n: number, shape: number[]): Float64Array {
  const length = shape.reduce((a, b) => a * b, 1);
  if (images.length !== n * length) throw new MetricError(`expected ${n} images of shape [${shape}], got ${images.length} values`);
  let projection: Float64Array | undefined;
  const features = new Float64Array(n * RANDPROJ_DIM);
  for (let i = 0; i < n; i++) {
    const small = downsample(images.subarray(i * length, (i + 1) * length), shape);
    projection ??= projectionMatrix(small.length);
    for (let k = 0; k < small.length; k++) {
      const value = small[k];
      for (let j = 0; j < RANDPROJ_DIM; j++) features[i * RANDPROJ_DIM + j] += value * projection[k * RANDPROJ_DIM + j];
    }
  }
  return features;
}

/** The Gaussian fit of n images' random-projection features. */
export function randomProjectionFit(images: Float32Array, n: number, shape: number[]): GaussianFit {
  return fitGaussian(randomProjectionFeatures(images, n, shape), n, RANDPROJ_DIM);
}

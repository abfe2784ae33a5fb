// What every data source provides to the trainer and the quality measures.
import { isAbsolute, resolve } from 'node:path';
import { Rng } from '../rng.js';
import { UserError } from '../../errors.js';
import type { DataSpec } from '../../ir/ir.js';

export interface Dataset {
  /** Shape of one sample without the batch dimension: [H, W, C] (NHWC) for images, [2] for the mixtures. */
  shape: number[];
  /** Number of distinct samples; Infinity for the mixtures, which are sampled afresh on every draw. */
  size: number;
  /** Human-readable name for logs, e.g. `mnist (800 of 8000 training digits)`. */
  name: string;
  /**
   * n samples drawn uniformly with replacement using `rng` (so the run's RNG state alone decides the stream,
   * and a resumed run sees the same batches): n × prod(shape) values, row-major, images in [-1, 1].
   */
  batch(rng: Rng, n: number): Float32Array;
  /**
   * With labels (`data mnist labels`, `data cifar10 ... labels`): the same draw as `batch` (the same rows for
   * the same RNG state) with each row's class.
   */
  labelledBatch?(rng: Rng, n: number): { images: Float32Array; labels: Int32Array };
  /** A labelled folder's class names (its subfolders), in label order; the built-in sets have ten, unnamed. */
  classes?: string[];
}

/**
 * A labelled folder's class count must be the latent statement's `classes K` (the checker cannot know it:
 * it reads no files); a DataError names the folder otherwise.
 */
export function checkDataClasses(data: DataSpec, latentClasses: number | undefined, dataset: Pick<Dataset, 'classes'>): void {
  if (data.kind !== 'folder' || !dataset.classes || latentClasses === undefined || dataset.classes.length === latentClasses) return;
  throw new DataError(`data folder "${data.path}" has ${dataset.classes.length} classes (subfolders ${dataset.classes.join(', ')}), `
    + `but the latent statement says classes ${latentClasses}`);
}

export interface LoadOptions {
  /** Chooses the `fraction` subset (the same seed keeps the same samples). */
  seed: number;
  /** Folder of the spec file: relative `folder` paths resolve against it. */
  specDir: string;
  /** Where decoded image folders are cached; default $XDG_CACHE_HOME/ganc or ~/.cache/ganc. */
  cacheDir?: string;
  /** One-line notices for the user (what was loaded; too few images for a batch): on stderr in the CLI. */
  onNotice?: (line: string) => void;
}

/** A data problem the user can fix (missing folder, corrupt image, ...): the CLI prints its one-line message. */
export class DataError extends UserError {
  override name = 'DataError';
}

/** The folder a spec's path names: a relative path is relative to the spec file's folder. */
export function dataFolderPath(path: string, specDir: string): string {
  return isAbsolute(path) ? path : resolve(specDir, path);
}

export function sampleLength(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A dataset over a fixed table of samples: `rows` holds one sample of prod(shape) values after another;
 * `labels`, when given, each row's class.
 */
export function tableDataset(name: string, shape: number[], rows: Float32Array, labels?: Uint8Array): Dataset {
  const rowLength = sampleLength(shape);
  const size = rows.length / rowLength;
  const draw = (rng: Rng, n: number, picked?: Int32Array): Float32Array => {
    const out = new Float32Array(n * rowLength);
    for (let i = 0; i < n; i++) {
      const row = rng.int(size);
      if (picked) picked[i] = labels![row];
      out.set(rows.subarray(row * rowLength, (row + 1) * rowLength), i * rowLength);
    }
    return out;
  };
  return {
    shape,
    size,
    name,
    batch: (rng, n) => draw(rng, n),
    ...(labels ? {
      labelledBatch(rng: Rng, n: number) {
        const picked = new Int32Array(n);
        return { images: draw(rng, n, picked), labels: picked };
      },
    } : {}),
  };
}

/**
 * The rows kept by `fraction F`: the first round(F·count) indices of a permutation shuffled by `seed`,
 * in ascending order. The same seed and fraction always keep the same rows.
 */
export function fractionSubset(count: number, fraction: number, seed: number): Int32Array {
  if (!(fraction > 0 && fraction <= 1)) throw new DataError(`fraction must lie in (0, 1], got ${fraction}`);
  if (fraction === 1) return Int32Array.from({ length: count }, (_, i) => i);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  Rng.fromSeed(seed).shuffle(order);
  return order.subarray(0, keptCount(count, fraction)).sort();
}

/** How many of `count` rows `fraction F` keeps: round(F·count), at least 1. */
export function keptCount(count: number, fraction: number): number {
  return fraction === 1 ? count : Math.max(1, Math.round(fraction * count));
}

/** Copies the chosen rows of a table into a new, dense table. */
export function selectRows(rows: Float32Array, rowLength: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * rowLength);
  indices.forEach((row, i) => out.set(rows.subarray(row * rowLength, (row + 1) * rowLength), i * rowLength));
  return out;
}

/** `N images loaded (WxH, C channels)`: what a loader of a fixed table of images tells the user at the start. */
export function loadedNotice(total: number, kept: number, shape: number[], fraction: number): string {
  const [height, width, channels] = shape;
  const of = kept === total ? '' : `; fraction ${fraction} of ${total}`;
  return `${kept} image${kept === 1 ? '' : 's'} loaded (${width}x${height}, ${channels} channel${channels === 1 ? '' : 's'}${of})`;
}

/**
 * A warning where every batch must repeat images: the source (`data folder "faces"`) holds fewer images than
 * a batch, or `fraction` keeps fewer than a batch. `ganc check` and the loaders both give it.
 */
export function batchWarning(source: string, total: number, spec: { batch: number; fraction: number }): string | undefined {
  const kept = keptCount(total, spec.fraction);
  if (total < spec.batch) {
    return `warning: ${source} holds ${total} image${total === 1 ? '' : 's'}, fewer than a batch of ${spec.batch}: `
      + "every batch repeats images (add images or lower 'batch')";
  }
  if (kept < spec.batch) {
    return `warning: fraction ${spec.fraction} keeps ${kept} of the ${total} images of ${source}, fewer than a batch of ${spec.batch}: `
      + "every batch repeats images (raise 'fraction' or lower 'batch')";
  }
  return undefined;
}

/** The loaded notice and any batch warning, for a loader's `onNotice`. */
export function imageTableNotices(source: string, total: number, kept: number, shape: number[], spec: { batch: number; fraction: number }): string[] {
  const warning = batchWarning(source, total, spec);
  return [loadedNotice(total, kept, shape, spec.fraction), ...(warning ? [warning] : [])];
}

// `data mnist-idx "PATH"`: the 60,000 training digits of the standard MNIST distribution, read from its IDX
// file in a local folder: `train-images-idx3-ubyte` (or `train-images.idx3-ubyte`, as some mirrors name it),
// optionally gzipped (`.gz`). IDX: a big-endian header (magic 0x00000803 = unsigned bytes, 3 dimensions;
// then count, rows, columns as uint32) and count·rows·columns grey levels, 0–255, row-major. Digits are
// scaled to [-1, 1] like every image data set. The labels and the t10k files are not read: the GAN needs
// only images, and the quality measures classify with ganc's own LeNet.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DataSpec } from '../../ir/ir.js';
import {
  type Dataset, DataError, dataFolderPath, type LoadOptions, fractionSubset, imageTableNotices, selectRows, tableDataset,
} from './dataset.js';
import { MNIST_SHAPE } from './mnist.js';

/** The training images' file as the standard distribution names it, then as some mirrors do. */
export const IDX_TRAIN_IMAGES = ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'];
const IMAGES_MAGIC = 0x00000803;
const HEADER_BYTES = 16;
const SIDE = 28;
/** A gzipped file never needs to inflate past this (60,000 digits are 47 MB): a bound for damaged or hostile files. */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

export interface IdxImages {
  /** count × 28 × 28 × 1, values in [-1, 1]. */
  images: Float32Array;
  count: number;
  file: string;
}

/**
 * The training images' file in `dir`, or a DataError saying what is missing. `display` is the path as the
 * spec writes it.
 */
export function findIdxImages(dir: string, display: string): string {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataError(`data mnist-idx "${display}": ${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`data mnist-idx "${display}": folder not found (looked for ${dir}; a relative path starts at the spec file's folder)`);
  }
  for (const name of IDX_TRAIN_IMAGES.flatMap((n) => [n, `${n}.gz`])) {
    if (names.includes(name)) return join(dir, name);
  }
  throw new DataError(`data mnist-idx "${display}": no ${IDX_TRAIN_IMAGES[0]} (or .gz) in ${dir}: `
    + 'put the MNIST training images file there (from the standard distribution)');
}

/** The digits of one IDX image file, validated against its header. */
export function readIdxImages(file: string): IdxImages {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new DataError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (file.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (error) {
      throw new DataError(`${file}: not a readable gzip file (${(error as Error).message.split('\n')[0]})`);
    }
  }
  if (bytes.length < HEADER_BYTES) throw new DataError(`${file}: not an IDX image file (${bytes.length} bytes, shorter than its 16-byte header)`);
  const magic = bytes.readUInt32BE(0);
  if (magic !== IMAGES_MAGIC) {
    throw new DataError(`${file}: not an IDX image file (magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000803)`);
  }
  const count = bytes.readUInt32BE(4);
  const rows = bytes.readUInt32BE(8);
  const columns = bytes.readUInt32BE(12);
  if (rows !== SIDE || columns !== SIDE) throw new DataError(`${file}: holds ${rows}×${columns} images; MNIST digits are 28×28`);
  if (count === 0) throw new DataError(`${file}: holds no images`);
  const pixels = SIDE * SIDE;
  const expected = HEADER_BYTES + count * pixels;
  if (bytes.length !== expected) {
    throw new DataError(`${file}: ${bytes.length < expected ? 'truncated' : 'too long'}: its header says ${count} images of 28×28 `
      + `(${expected} bytes), the file has ${bytes.length}`);
  }
  const images = new Float32Array(count * pixels);
  for (let i = 0; i < images.length; i++) images[i] = bytes[HEADER_BYTES + i] / 127.5 - 1;
  return { images, count, file };
}

/** `data mnist-idx "PATH" [fraction F]`: the training digits, or the seeded subset `fraction` keeps. */
export function mnistIdxDataset(spec: DataSpec, { seed, specDir, onNotice }: LoadOptions): Dataset {
  if (spec.path === undefined) throw new DataError('data mnist-idx: no path given');
  const { images, count, file } = readIdxImages(findIdxImages(dataFolderPath(spec.path, specDir), spec.path));
  const pixels = SIDE * SIDE;
  const kept = fractionSubset(count, spec.fraction, seed);
  for (const line of imageTableNotices(`data mnist-idx "${spec.path}"`, count, kept.length, MNIST_SHAPE, spec)) onNotice?.(line);
  const name = kept.length === count ? `mnist-idx (${count} digits of ${file})` : `mnist-idx (${kept.length} of ${count} digits of ${file}, seed ${seed})`;
  return tableDataset(name, MNIST_SHAPE, selectRows(images, pixels, kept));
}

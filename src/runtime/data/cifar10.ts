// `data cifar10 "PATH" [fraction F] [labels]`: the 50,000 training images of CIFAR-10 from its binary
// distribution (cifar-10-binary.tar.gz, unpacked: the folder cifar-10-batches-bin), read from
// data_batch_1.bin ... data_batch_5.bin. Each file is a run of 3073-byte records: one label byte (0-9), then
// 3072 pixel bytes, the red, green and blue planes of a 32×32 image, each row-major (CHW). The distribution's
// files hold 10,000 records each; ganc accepts any whole number of records, so tests can write small files in
// exactly this format. test_batch.bin is the held-out set: training does not read it. Images are kept as bytes
// (HWC) and scaled to [-1, 1] as batches are drawn.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DataSpec } from '../../ir/ir.js';
import type { Rng } from '../rng.js';
import { type Dataset, DataError, type LoadOptions, fractionSubset } from './dataset.js';

export const CIFAR10_SHAPE = [32, 32, 3];
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const PIXELS = 32 * 32;
const IMAGE_BYTES = 3 * PIXELS;
export const CIFAR10_RECORD_BYTES = 1 + IMAGE_BYTES;
const CLASSES = 10;
const WHERE_TO_GET = 'CIFAR-10\'s binary version (cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, '
  + `unpacked) holds ${CIFAR10_TRAIN_FILES[0]} ... ${CIFAR10_TRAIN_FILES[4]}`;

export interface Cifar10Table {
  /** count × 32 × 32 × 3 bytes, HWC. */
  images: Uint8Array;
  /** The class of each image, 0-9. */
  labels: Uint8Array;
  count: number;
}

/** The five training batches' paths in `dir`, or a DataError that says where the files go. */
function trainingFiles(dir: string, display: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataError(`data cifar10 "${display}": ${dir} is not a folder: ${WHERE_TO_GET}; give its folder`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`data cifar10 "${display}": folder not found (looked for ${dir}): put the files of ${WHERE_TO_GET}, there `
      + "(a relative path starts at the spec file's folder)");
  }
  const missing = CIFAR10_TRAIN_FILES.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    // The python version's batches (data_batch_1, pickled) are a different format.
    const python = names.includes('data_batch_1') ? ' (data_batch_1 without .bin is the python version, a pickle: ganc reads the binary version)' : '';
    throw new DataError(`data cifar10 "${display}": no ${missing.join(', ')} in ${dir}${python}: ${WHERE_TO_GET}`);
  }
  return CIFAR10_TRAIN_FILES.map((name) => join(dir, name));
}

/** One binary batch file's records, checked: a whole, non-zero number of records with labels 0-9. */
export function readCifar10Batch(file: string): { bytes: Buffer; count: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new DataError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataError(`${file}: not a CIFAR-10 binary batch: ${bytes.length} bytes is not a whole number of `
      + `${CIFAR10_RECORD_BYTES}-byte records (1 label byte + 3072 pixel bytes; the distribution's files have 10000)`);
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let record = 0; record < count; record++) {
    const label = bytes[record * CIFAR10_RECORD_BYTES];
    if (label >= CLASSES) {
      throw new DataError(`${file}: not a CIFAR-10 binary batch: record ${record + 1} has label ${label}, CIFAR-10's are 0-9`);
    }
  }
  return { bytes, count };
}

/** Every training image of the folder, in file and record order, as HWC bytes. */
export function readCifar10(dir: string, display = dir): Cifar10Table {
  const batches = trainingFiles(dir, display).map(readCifar10Batch);
  const count = batches.reduce((sum, b) => sum + b.count, 0);
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let row = 0;
  for (const { bytes, count: records } of batches) {
    for (let record = 0; record < records; record++, row++) {
      const start = record * CIFAR10_RECORD_BYTES;
      labels[row] = bytes[start];
      const image = images.subarray(row * IMAGE_BYTES, (row + 1) * IMAGE_BYTES);
      // CHW planes → HWC pixels.
      for (let c = 0; c < 3; c++) {
        const plane = start + 1 + c * PIXELS;
        for (let i = 0; i < PIXELS; i++) image[i * 3 + c] = bytes[plane + i];
      }
    }
  }
  return { images, labels, count };
}

export interface Cifar10Dataset extends Dataset {
  /** With `labels`: the class (0-9) of each of the data set's `size` images, in the order of its rows. */
  labels?: Uint8Array;
}

export function cifar10Dataset(spec: DataSpec, { seed, specDir }: LoadOptions): Cifar10Dataset {
  if (spec.path === undefined) throw new DataError('data cifar10: no path given');
  const dir = isAbsolute(spec.path) ? spec.path : resolve(specDir, spec.path);
  const table = readCifar10(dir, spec.path);
  const kept = fractionSubset(table.count, spec.fraction, seed);
  const images = new Uint8Array(kept.length * IMAGE_BYTES);
  kept.forEach((row, i) => images.set(table.images.subarray(row * IMAGE_BYTES, (row + 1) * IMAGE_BYTES), i * IMAGE_BYTES));
  const labels = spec.labels ? Uint8Array.from(kept, (row) => table.labels[row]) : undefined;
  const draw = (rng: Rng, n: number, picked?: Int32Array): Float32Array => {
    const out = new Float32Array(n * IMAGE_BYTES);
    for (let i = 0; i < n; i++) {
      const row = rng.int(kept.length);
      if (picked) picked[i] = labels![row];
      for (let j = 0; j < IMAGE_BYTES; j++) out[i * IMAGE_BYTES + j] = images[row * IMAGE_BYTES + j] / 127.5 - 1;
    }
    return out;
  };
  const of = kept.length === table.count ? `${table.count} training images` : `${kept.length} of ${table.count} training images, seed ${seed}`;
  return {
    shape: CIFAR10_SHAPE,
    size: kept.length,
    name: `cifar10 "${spec.path}" (${of}${spec.labels ? ', with labels' : ''})`,
    ...(labels ? {
      labels,
      labelledBatch(rng: Rng, n: number) {
        const picked = new Int32Array(n);
        return { images: draw(rng, n, picked), labels: picked };
      },
    } : {}),
    batch: (rng, n) => draw(rng, n),
  };
}

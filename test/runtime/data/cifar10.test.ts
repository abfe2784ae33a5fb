// `data cifar10 "PATH"`: CIFAR-10's binary batches, written here in exactly the distribution's format with
// a few records per file. Images come out HWC in [-1, 1] in file and record order; fraction and labels as
// for the other table data sets; every missing or damaged file is a one-line DataError that names it.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { CIFAR10_SHAPE, readCifar10, type Cifar10Dataset } from '../../../src/runtime/data/cifar10.js';
import { DataError, loadDataset } from '../../../src/runtime/data/index.js';
import { Rng } from '../../../src/runtime/rng.js';
import { cifarLabel, cifarPixel, cifarRecord, writeCifar10Folder } from '../../helpers/cifar10-files.js';

const spec = (path: string, extra: Partial<DataSpec> = {}): DataSpec =>
  ({ kind: 'cifar10', batch: 4, fraction: 1, shape: [32, 32, 3], path, labels: false, ...extra });
const freshFolder = (perFile = 2) => writeCifar10Folder(join(mkdtempSync(join(tmpdir(), 'ganc-cifar-')), 'cifar-10-batches-bin'), perFile);

/** The DataError a load gives, as its one-line message. */
async function loadError(dataSpec: DataSpec, specDir = '/'): Promise<string> {
  const error = await loadDataset(dataSpec, { seed: 0, specDir }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  const { message } = error as DataError;
  expect(message).not.toContain('\n');
  return message;
}

describe('cifar10', () => {
  it('reads the five training batches in order, CHW planes to HWC pixels', () => {
    const table = readCifar10(freshFolder(3));
    expect(table.count).toBe(15);
    expect(Array.from(table.labels)).toEqual(Array.from({ length: 15 }, (_, i) => cifarLabel(i)));
    for (const index of [0, 4, 14]) {
      for (const [y, x, c] of [[0, 0, 0], [5, 17, 1], [31, 31, 2]]) {
        expect(table.images[index * 3072 + (y * 32 + x) * 3 + c]).toBe(cifarPixel(index, c, y, x));
      }
    }
  });

  it('draws batches in [-1, 1], NHWC [32, 32, 3]; labels only with `labels`', async () => {
    const dir = freshFolder();
    const dataset = await loadDataset(spec(dir), { seed: 0, specDir: '/' }) as Cifar10Dataset;
    expect(dataset.shape).toEqual(CIFAR10_SHAPE);
    expect(dataset.size).toBe(10);
    expect(dataset.labels).toBeUndefined();
    const batch = dataset.batch(Rng.fromSeed(1), 6);
    expect(batch).toHaveLength(6 * 3072);
    // Every drawn image is one of the file's, scaled from bytes.
    const images = Array.from({ length: 10 }, (_, i) => Math.fround((cifarPixel(i, 2, 31, 31) / 127.5) - 1));
    for (let n = 0; n < 6; n++) expect(images).toContainEqual(batch[n * 3072 + 3071]);
    expect(Math.min(...batch)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...batch)).toBeLessThanOrEqual(1);
    const labelled = await loadDataset(spec(dir, { labels: true }), { seed: 0, specDir: '/' }) as Cifar10Dataset;
    expect(Array.from(labelled.labels!)).toEqual(Array.from({ length: 10 }, (_, i) => cifarLabel(i)));
  });

  it('keeps a seeded fraction, with the labels of the images kept', async () => {
    const dir = freshFolder(4);
    const kept = await loadDataset(spec(dir, { fraction: 0.25, labels: true }), { seed: 3, specDir: '/' }) as Cifar10Dataset;
    expect(kept.size).toBe(5);
    const again = await loadDataset(spec(dir, { fraction: 0.25, labels: true }), { seed: 3, specDir: '/' }) as Cifar10Dataset;
    expect(again.labels).toEqual(kept.labels);
    expect(again.batch(Rng.fromSeed(2), 3)).toEqual(kept.batch(Rng.fromSeed(2), 3));
  });

  it('resolves a relative path from the spec\'s folder', async () => {
    const dir = freshFolder();
    const dataset = await loadDataset(spec('cifar-10-batches-bin'), { seed: 0, specDir: join(dir, '..') });
    expect(dataset.size).toBe(10);
  });

  it('a missing folder says where to put the files', async () => {
    const message = await loadError(spec('no/such/folder'), '/tmp');
    expect(message).toContain('data cifar10 "no/such/folder": folder not found (looked for /tmp/no/such/folder)');
    expect(message).toContain('cifar-10-binary.tar.gz');
    expect(message).toContain('data_batch_1.bin ... data_batch_5.bin');
  });

  it('names a missing batch file, and recognises the python version', async () => {
    const dir = freshFolder();
    rmSync(join(dir, 'data_batch_3.bin'));
    expect(await loadError(spec(dir))).toContain(`no data_batch_3.bin in ${dir}`);
    writeFileSync(join(dir, 'data_batch_1'), 'pickle');
    expect(await loadError(spec(dir))).toContain('the python version, a pickle');
  });

  it('names a file of the wrong size', async () => {
    const dir = freshFolder();
    const file = join(dir, 'data_batch_2.bin');
    truncateSync(file, 3073 * 2 - 100);
    expect(await loadError(spec(dir))).toBe(`${file}: not a CIFAR-10 binary batch: 6046 bytes is not a whole number of 3073-byte `
      + "records (1 label byte + 3072 pixel bytes; the distribution's files have 10000)");
    writeFileSync(file, '');
    expect(await loadError(spec(dir))).toContain(`${file}: not a CIFAR-10 binary batch: 0 bytes`);
  });

  it('names a file whose labels are not CIFAR-10\'s', async () => {
    const dir = freshFolder();
    const bad = cifarRecord(0);
    bad[0] = 200;
    writeFileSync(join(dir, 'data_batch_4.bin'), Buffer.concat([cifarRecord(1), bad]));
    expect(await loadError(spec(dir))).toBe(`${join(dir, 'data_batch_4.bin')}: not a CIFAR-10 binary batch: record 2 has label 200, CIFAR-10's are 0-9`);
  });
});

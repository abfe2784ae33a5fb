// Test helper: a folder of CIFAR-10 binary batches in exactly the distribution's format (3073-byte
// records: a label byte, then the red, green and blue 32×32 planes), with few records per file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CIFAR10_BATCH_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);

/** The pixel byte of record `index` (counted over all files) at channel c, row y, column x. */
export const cifarPixel = (index: number, c: number, y: number, x: number): number => (index * 7 + c * 50 + y * 3 + x * 5) % 256;
export const cifarLabel = (index: number): number => index % 10;

/** One record: label then CHW planes. */
export function cifarRecord(index: number): Buffer {
  const record = Buffer.alloc(3073);
  record[0] = cifarLabel(index);
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) record[1 + c * 1024 + y * 32 + x] = cifarPixel(index, c, y, x);
  return record;
}

/** Writes data_batch_1.bin ... data_batch_5.bin with `perFile` records each (and a test_batch.bin); returns the folder. */
export function writeCifar10Folder(dir: string, perFile = 2): string {
  mkdirSync(dir, { recursive: true });
  CIFAR10_BATCH_FILES.forEach((name, file) => {
    writeFileSync(join(dir, name), Buffer.concat(Array.from({ length: perFile }, (_, i) => cifarRecord(file * perFile + i))));
  });
  writeFileSync(join(dir, 'test_batch.bin'), cifarRecord(999));
  return dir;
}

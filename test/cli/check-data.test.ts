// `ganc check` looks at a spec's data folder: missing or empty is a check error at the path (resolved from
// the spec file's folder, not the working directory), too few images for a batch a one-line warning on
// stderr that does not fail the check.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './in-process.js';

let scratch: string;

const folderSpec = (data: string): string => `${data}
latent normal 2
generator
  dense 64
  reshape 8 8 1
discriminator
  flatten
  dense 1
`;

function specFile(name: string, data: string): string {
  const file = join(scratch, name);
  writeFileSync(file, folderSpec(data));
  return file;
}

async function imageFolder(name: string, count: number): Promise<void> {
  mkdirSync(join(scratch, name));
  for (let i = 0; i < count; i++) {
    await sharp(Buffer.alloc(8 * 8, 40 * i), { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(scratch, name, `${i}.png`));
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-check-data-'));
  await imageFolder('three', 3);
  await imageFolder('ten', 10);
  mkdirSync(join(scratch, 'empty'));
  writeFileSync(join(scratch, 'empty', 'notes.txt'), 'no images');
  mkdirSync(join(scratch, 'idx'));
});

describe('ganc check and data on disk', () => {
  it('a missing folder is an error at its path, relative to the spec file\'s folder', async () => {
    const file = specFile('missing.gan', 'data folder "no-such" size 8 channels 1');
    const r = await runMain('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe([
      `${file}:1:13: data folder "no-such" not found (looked for ${join(scratch, 'no-such')}); a relative path starts at the spec file's folder`,
      'data folder "no-such" size 8 channels 1',
      '            ^',
      '1 error in 1 file',
      '',
    ].join('\n'));
  });

  it('a folder without images is an error at its path', async () => {
    const file = specFile('empty.gan', 'data folder "empty" size 8 channels 1 batch 2');
    const r = await runMain('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file}:1:13: data folder "empty" holds no \\.png/\\.jpg/\\.jpeg images`));
  });

  it('a folder of the spec\'s own folder is found whatever the working directory', async () => {
    const file = specFile('ten.gan', 'data folder "ten" size 8 channels 1 batch 4');
    expect(await runMain('check', file)).toEqual({ status: 0, stdout: `${file}: ok\n`, stderr: '' });
  });

  it('warns, without failing, when the folder holds fewer images than a batch', async () => {
    const file = specFile('three.gan', 'data folder "three" size 8 channels 1 batch 64');
    expect(await runMain('check', file)).toEqual({
      status: 0,
      stdout: `${file}: ok\n`,
      stderr: `${file}: warning: data folder "three" holds 3 images, fewer than a batch of 64: every batch repeats images (add images or lower 'batch')\n`,
    });
  });

  it('warns when fraction keeps fewer images than a batch', async () => {
    const file = specFile('fraction.gan', 'data folder "ten" size 8 channels 1 batch 4 fraction 0.1');
    const r = await runMain('check', file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${file}: warning: fraction 0.1 keeps 1 of the 10 images of data folder "ten", fewer than a batch of 4: `
      + "every batch repeats images (raise 'fraction' or lower 'batch')\n");
  });

  it('a mnist-idx folder without the training images file is an error at its path', async () => {
    const file = join(scratch, 'idx.gan');
    writeFileSync(file, folderSpec('data mnist-idx "idx"').replace('dense 64\n  reshape 8 8 1', 'dense 784\n  reshape 28 28 1'));
    const r = await runMain('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:1:16: data mnist-idx "idx": no train-images-idx3-ubyte (or .gz) in ${join(scratch, 'idx')}`);
  });
});

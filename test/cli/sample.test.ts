// `ganc sample RUN --scale N --label --raw FILE`: an enlarged, labelled grid and the float samples with the
// latents they came from, from a run trained here (a tiny dense G on a 6-digit IDX file, so no data set loads).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/runtime/safetensors.js';
import { runMain } from './in-process.js';

const SPEC = `gan tiny_digits
data mnist-idx "idx" batch 4
latent normal 3
generator
  dense 784
  tanh
  reshape 28 28 1
discriminator
  flatten
  dense 1
train steps 3 seed 1 sample 1000 checkpoint 3 eval 1000
`;

let scratch: string;
let run: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-sample-'));
  mkdirSync(join(scratch, 'idx'));
  const header = Buffer.alloc(16);
  [0x803, 6, 28, 28].forEach((v, i) => header.writeUInt32BE(v, 4 * i));
  writeFileSync(join(scratch, 'idx', 'train-images-idx3-ubyte'), Buffer.concat([header, Buffer.alloc(6 * 784, 99)]));
  writeFileSync(join(scratch, 'tiny.gan'), SPEC);
  const trained = await runMain('train', join(scratch, 'tiny.gan'), '--out', join(scratch, 'runs'), '--backend', 'cpu');
  expect(trained.status).toBe(0);
  expect(trained.stderr).toContain('6 images loaded (28x28, 1 channel)');
  run = /^run: (.+)$/m.exec(trained.stdout)![1];
});

describe('ganc sample', () => {
  it('--scale 2 --label: a grid twice as large, with the step and the spec\'s name drawn above it', async () => {
    const plain = join(scratch, 'plain.png');
    const big = join(scratch, 'big.png');
    expect((await runMain('sample', run, '--n', '9', '--out', plain, '--backend', 'cpu')).status).toBe(0);
    const r = await runMain('sample', run, '--n', '9', '--out', big, '--scale', '2', '--label', '--backend', 'cpu');
    expect(r).toMatchObject({ status: 0, stdout: `${big}: 9 samples from step 3\n` });
    const small = PNG.sync.read(readFileSync(plain));
    const image = PNG.sync.read(readFileSync(big));
    expect([small.width, small.height]).toEqual([3 * 28 + 4 * 2, 3 * 28 + 4 * 2]);
    expect(image.width).toBe(2 * small.width);
    const band = image.height - 2 * small.height;
    // 7-pixel glyphs and 2-pixel margins; at 2×2 "step 3  tiny_digits" would be wider than 176 pixels, so 1×1.
    expect(band).toBe(11);
    let ink = 0;
    for (let i = 0; i < band * image.width; i++) if (image.data[4 * i] === 0) ink++;
    expect(ink).toBeGreaterThan(100); // well over 100 lit glyph pixels in 19 characters
    const pixel = (png: PNG, x: number, y: number) => png.data[(y * png.width + x) * 4];
    expect(pixel(image, 2 * 40 + 1, band + 2 * 17 + 1)).toBe(pixel(small, 40, 17));
  });

  it('--raw writes the float samples and the latents they came from', async () => {
    const raw = join(scratch, 'raw.safetensors');
    const r = await runMain('sample', run, '--n', '5', '--out', join(scratch, 'five.png'), '--raw', raw, '--seed', '4', '--backend', 'cpu');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${raw}: the 5 samples and their latents (float32)`);
    const { tensors, metadata } = readSafetensors(raw);
    expect(tensors.samples.shape).toEqual([5, 28, 28, 1]);
    expect(tensors.latents.shape).toEqual([5, 3]);
    expect(metadata).toMatchObject({ step: '3', seed: '4' });
    expect(Math.max(...tensors.samples.data)).toBeLessThanOrEqual(1);
    expect(new Set(tensors.latents.data).size).toBe(15);
    // The PNG shows the same samples: pixel (0, 0) of the first tile is the first sample's first value.
    const image = PNG.sync.read(readFileSync(join(scratch, 'five.png')));
    expect(image.data[(2 * image.width + 2) * 4]).toBe(Math.round((tensors.samples.data[0] + 1) * 127.5));
  });

  it('a raw file in a missing folder and a scale past 16 are one-line user errors', async () => {
    const missing = await runMain('sample', run, '--out', join(scratch, 'x.png'), '--raw', join(scratch, 'no', 'raw.safetensors'), '--backend', 'cpu');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('raw.safetensors');
    const huge = await runMain('sample', run, '--scale', '40', '--backend', 'cpu');
    expect(huge).toMatchObject({ status: 1, stderr: '--scale must be at most 16, got 40\n' });
  });
});

// What training says about its data at the start, through onNotice (stderr in the CLI): how many images it
// loaded and of what shape, and a warning where every batch must repeat images. Also trains mnist-idx end
// to end on a tiny IDX file, with its quality measures (fd_lenet, class_coverage, as for mnist).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from './compile-spec.js';

const SPEC = `gan tiny_idx
data mnist-idx "idx" batch 8
latent normal 4
generator
  dense 784
  tanh
  reshape 28 28 1
discriminator
  flatten
  dense 1
train steps 2 log 1 sample 1000 checkpoint 1000 eval 1000
`;

it('says how many IDX digits it loaded and warns that 5 digits are fewer than a batch of 8', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ganc-notices-'));
  mkdirSync(join(root, 'idx'));
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x803, 0);
  header.writeUInt32BE(5, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  writeFileSync(join(root, 'idx', 'train-images-idx3-ubyte'), Buffer.concat([header, Buffer.alloc(5 * 784, 200)]));
  const file = join(root, 'tiny.gan');
  const notices: string[] = [];
  const result = await runTraining({
    outRoot: join(root, 'runs'), spec: { text: SPEC, file, ir: compileSpecText(SPEC, file) }, backend: 'cpu', evalSamples: 200,
    onNotice: (line) => notices.push(line),
  });
  expect(notices).toContain('5 images loaded (28x28, 1 channel)');
  expect(notices).toContain(`warning: data mnist-idx "${join(root, 'idx')}" holds 5 images, fewer than a batch of 8: `
    + "every batch repeats images (add images or lower 'batch')");
  expect(result.step).toBe(2);
  expect(Object.keys(result.quality ?? {})).toEqual(['fd_lenet', 'class_coverage']);
});

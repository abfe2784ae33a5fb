// `data folder "PATH" ... labels from-subfolders` on real PNG files: the immediate subfolders, sorted by
// name, are the classes; every image under one (nested folders included) has its class; a labelled batch
// is the unlabelled draw with each image's class; a folder laid out otherwise, or with another number of
// classes than `latent ... classes K`, is one line naming the path (`ganc check`: at the path's file:line:col).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { checkDataClasses } from '../../../src/runtime/data/dataset.js';
import { DataError, loadDataset } from '../../../src/runtime/data/index.js';
import { Rng } from '../../../src/runtime/rng.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from '../training/compile-spec.js';
import { runMain } from '../../cli/in-process.js';

let root: string;
let cacheDir: string;

/** An 8×8 grey PNG of one level. */
async function writeGrey(path: string, level: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await sharp(Buffer.alloc(8 * 8, level), { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(path);
}

/** Each class's grey level: a decoded image says its own class. */
const LEVELS: Record<string, number> = { bird: 0, cat: 100, dog: 200 };
const classOfValue = (v: number): string => Object.keys(LEVELS).find((name) => Math.abs((LEVELS[name] / 127.5 - 1) - v) < 1e-3)!;

const spec = (path: string, extra: Partial<DataSpec> = {}): DataSpec =>
  ({ kind: 'folder', batch: 4, fraction: 1, shape: [8, 8, 1], path, labels: true, ...extra });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ganc-folder-labels-'));
  cacheDir = join(root, 'cache');
  // pets/: cat (2 images), dog (1, and 1 in a nested folder), bird (1); names chosen so sorting matters.
  await writeGrey(join(root, 'pets', 'cat', 'a.png'), LEVELS.cat);
  await writeGrey(join(root, 'pets', 'cat', 'b.png'), LEVELS.cat);
  await writeGrey(join(root, 'pets', 'dog', 'c.png'), LEVELS.dog);
  await writeGrey(join(root, 'pets', 'dog', 'puppies', 'd.png'), LEVELS.dog);
  await writeGrey(join(root, 'pets', 'bird', 'e.png'), LEVELS.bird);
  writeFileSync(join(root, 'pets', 'README.txt'), 'not an image, not a class');
  // mixed/: an image at the top level beside a class folder.
  await writeGrey(join(root, 'mixed', 'cat', 'a.png'), LEVELS.cat);
  await writeGrey(join(root, 'mixed', 'stray.png'), LEVELS.dog);
  // hollow/: a class folder without images.
  await writeGrey(join(root, 'hollow', 'cat', 'a.png'), LEVELS.cat);
  mkdirSync(join(root, 'hollow', 'dog'));
  writeFileSync(join(root, 'hollow', 'dog', 'notes.txt'), 'no images here');
  // flat/: images, no subfolders.
  await writeGrey(join(root, 'flat', 'a.png'), LEVELS.cat);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('data folder ... labels from-subfolders', () => {
  it("labels each image by its immediate subfolder, classes in sorted order; a labelled batch is the plain draw's", async () => {
    for (const flip of [false, true]) {
      const notices: string[] = [];
      const data = await loadDataset(spec('pets', { flip }), { seed: 0, specDir: root, cacheDir, onNotice: (l) => notices.push(l) });
      expect(data.classes).toEqual(['bird', 'cat', 'dog']);
      expect(notices).toContain('3 classes from subfolders: bird, cat, dog');
      const plain = data.batch(Rng.fromSeed(4), 64);
      const { images, labels } = data.labelledBatch!(Rng.fromSeed(4), 64);
      expect(images).toEqual(plain);
      const seen = new Set<number>();
      labels.forEach((label, i) => {
        seen.add(label);
        expect(data.classes![label]).toBe(classOfValue(images[i * 64]));
      });
      expect([...seen].sort()).toEqual([0, 1, 2]);
    }
  });

  it('keeps the labels with the rows a fraction keeps', async () => {
    const data = await loadDataset(spec('pets', { fraction: 0.6 }), { seed: 3, specDir: root, cacheDir });
    const { images, labels } = data.labelledBatch!(Rng.fromSeed(1), 32);
    labels.forEach((label, i) => expect(data.classes![label]).toBe(classOfValue(images[i * 64])));
  });

  it.each([
    ['an image beside the class folders', 'mixed', /^data folder "mixed" labels from-subfolders: .*mixed\/stray\.png lies directly in the folder; every image must be in a subfolder named by its class$/],
    ['a class folder without images', 'hollow', /^data folder "hollow" labels from-subfolders: subfolder .*hollow\/dog holds no \.png\/\.jpg\/\.jpeg images$/],
    ['no subfolders at all', 'flat', /^data folder "flat" labels from-subfolders: .*flat\/a\.png lies directly in the folder/],
  ])('refuses %s in one line naming the path', async (_name, folder, message) => {
    const load = loadDataset(spec(folder), { seed: 0, specDir: root, cacheDir });
    await expect(load).rejects.toThrow(DataError);
    await expect(load).rejects.toThrow(message);
  });

  it('refuses a class count other than the latent statement says', async () => {
    const data = await loadDataset(spec('pets'), { seed: 0, specDir: root, cacheDir });
    expect(() => checkDataClasses(spec('pets'), 3, data)).not.toThrow();
    expect(() => checkDataClasses(spec('pets'), 10, data))
      .toThrow(/^data folder "pets" has 3 classes \(subfolders bird, cat, dog\), but the latent statement says classes 10$/);
  });
});

const conditionalSpec = (folder: string, classes: number) => `gan folder_classes
data folder "${folder}" size 8 channels 1 batch 4 labels from-subfolders
latent normal 4 classes ${classes}
generator
  dense 64
  reshape 8 8 1
  cbatchnorm
  tanh
discriminator
  flatten
  projection
  dense 1
loss hinge
train steps 2 seed 1 log 1 checkpoint 2 sample 100 eval 100
`;

describe('a conditional GAN on a labelled folder', () => {
  it('trains, real labels from the subfolders', async () => {
    const file = join(root, 'folder.gan');
    const text = conditionalSpec('pets', 3);
    const result = await runTraining({ outRoot: join(root, 'runs'), spec: { text, file, ir: compileSpecText(text, file) }, backend: 'cpu' });
    expect(result.step).toBe(2);
  });

  it('a class-count mismatch is refused before training, and by ganc check at the path', async () => {
    const file = join(root, 'mismatch.gan');
    const text = conditionalSpec('pets', 4);
    writeFileSync(file, text);
    await expect(runTraining({ outRoot: join(root, 'runs-bad'), spec: { text, file, ir: compileSpecText(text, file) }, backend: 'cpu' }))
      .rejects.toThrow(/^data folder "\S*pets" has 3 classes \(subfolders bird, cat, dog\), but the latent statement says classes 4$/);
    expect(existsSync(join(root, 'runs-bad'))).toBe(false);
    const checked = await runMain('check', file);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain(`${file}:2:13: data folder "pets" has 3 classes (subfolders bird, cat, dog), but the latent statement says classes 4\n`);
    writeFileSync(file, conditionalSpec('hollow', 2));
    const hollow = await runMain('check', file);
    expect(hollow.status).toBe(1);
    expect(hollow.stderr).toMatch(new RegExp(`^${file}:2:13: data folder "hollow" labels from-subfolders: subfolder \\S+hollow/dog holds no \\.png/\\.jpg/\\.jpeg images\\n`));
  });
});

// The data rule alone: the data set, its options and the shape of one sample. The data line is line 1.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec, type SpecParts } from './minimal-spec.js';

/** IMAGE_PARTS for CIFAR-10's [32, 32, 3] images. */
const CIFAR_PARTS: SpecParts = {
  ...IMAGE_PARTS, generator: ['generator', '  dense 3072', '  reshape 32 32 3'],
};

describe('data rule', () => {
  it('reads a built-in data set with its defaults', () => {
    expect(irOf(minimalSpec()).data).toEqual({ kind: 'ring8', batch: 64, fraction: 1, shape: [2] });
  });
  it('reads batch and fraction', () => {
    expect(irOf(minimalSpec({ data: ['data mnist batch 16 fraction 0.5'] }, IMAGE_PARTS)).data)
      .toEqual({ kind: 'mnist', batch: 16, fraction: 0.5, shape: [28, 28, 1] });
  });
  it('keeps mnist labels only when asked', () => {
    expect(irOf(minimalSpec({ data: ['data mnist labels'] }, IMAGE_PARTS)).data)
      .toEqual({ kind: 'mnist', batch: 64, fraction: 1, shape: [28, 28, 1], labels: true });
  });
  it('reads mnist-idx with the folder of its IDX files', () => {
    expect(irOf(minimalSpec({ data: ['data mnist-idx "idx" batch 16 fraction 0.5'] }, IMAGE_PARTS)).data)
      .toEqual({ kind: 'mnist-idx', batch: 16, fraction: 0.5, shape: [28, 28, 1], path: 'idx' });
  });
  it('reads a folder, its size, channels and flip', () => {
    expect(irOf(minimalSpec({ data: ['data folder "imgs" size 28 channels 1 flip'] }, IMAGE_PARTS)).data)
      .toEqual({ kind: 'folder', batch: 64, fraction: 1, shape: [28, 28, 1], path: 'imgs', flip: true });
  });

  it('reads a folder with labels from its subfolders; classes are checked when the folder is read', () => {
    const spec = minimalSpec({
      data: ['data folder "imgs" size 28 channels 1 labels from-subfolders'], latent: ['latent normal 2 classes 3'],
    }, IMAGE_PARTS);
    const ir = irOf(spec);
    expect(ir.data).toEqual({ kind: 'folder', batch: 64, fraction: 1, shape: [28, 28, 1], path: 'imgs', flip: false, labels: true });
    expect(ir.latent.classes).toBe(3);
  });

  it('reads cifar10 with its folder; labels kept only when asked for', () => {
    expect(irOf(minimalSpec({ data: ['data cifar10 "cifar" batch 16 fraction 0.1 labels'] }, CIFAR_PARTS)).data)
      .toEqual({ kind: 'cifar10', batch: 16, fraction: 0.1, shape: [32, 32, 3], path: 'cifar', labels: true });
    expect(irOf(minimalSpec({ data: ['data cifar10 "cifar"'] }, CIFAR_PARTS)).data)
      .toEqual({ kind: 'cifar10', batch: 64, fraction: 1, shape: [32, 32, 3], path: 'cifar', labels: false });
  });

  itRejects([
    ["cifar10 no path", minimalSpec({ data: ['data cifar10 batch 32'] }, CIFAR_PARTS),
      ["1:6: 'data cifar10' needs the folder of CIFAR-10's binary batches in quotes: data cifar10 \"PATH\""]],
    ["cifar10 size", minimalSpec({ data: ['data cifar10 "c" size 32'] }, CIFAR_PARTS),
      ["1:18: 'data cifar10' has no option 'size': expected 'batch', 'fraction' or 'labels'"]],
    ["cifar10 labels value", minimalSpec({ data: ['data cifar10 "c" labels 1'] }, CIFAR_PARTS),
      ["1:25: 'labels' takes no value"]],
    ["misspelt option", minimalSpec({ data: ['data mnist fration 0.1'] }, IMAGE_PARTS),
      ["1:12: unknown option 'fration' of 'data mnist' (did you mean 'fraction'?)"]],
    ["misspelt option after a value", minimalSpec({ data: ['data mnist batch 64 fractoin 0.1'] }, IMAGE_PARTS),
      ["1:21: unknown option 'fractoin' of 'data mnist' (did you mean 'fraction'?)"]],
    ["unknown data", minimalSpec({ data: ['data imagenet'] }),
      ["1:6: unknown data set 'imagenet': expected mnist, mnist-idx, ring8, grid25, folder or cifar10"]],
    ["mnist-idx no path", minimalSpec({ data: ['data mnist-idx batch 32'] }, IMAGE_PARTS),
      ["1:6: 'data mnist-idx' needs the folder of the MNIST IDX files in quotes: data mnist-idx \"PATH\""]],
    ["flip value", minimalSpec({ data: ['data folder "imgs" size 28 channels 1 flip 1'] }, IMAGE_PARTS),
      ["1:44: 'flip' takes no value"]],
    ["ring8 fraction", minimalSpec({ data: ['data ring8 fraction 0.5'] }),
      ["1:12: 'data ring8' has no option 'fraction': expected 'batch'"]],
    ["mnist path", minimalSpec({ data: ['data mnist "x"'] }, IMAGE_PARTS),
      ["1:12: 'data mnist' takes no path: only 'data folder \"PATH\"', 'data mnist-idx \"PATH\"' and 'data cifar10 \"PATH\"' do"]],
    ["folder no path", minimalSpec({ data: ['data folder size 32'] }),
      ["1:6: 'data folder' needs the folder's path in quotes: data folder \"PATH\" size N"]],
    ["folder no size", minimalSpec({ data: ['data folder "imgs"'] }),
      ["1:6: 'data folder' needs 'size N': the side length images are resized to"]],
    ["folder labels without from-subfolders", minimalSpec({ data: ['data folder "imgs" size 28 channels 1 labels'] }, IMAGE_PARTS),
      ["1:39: 'data folder' takes 'labels from-subfolders': each image's class is the name of the subfolder it is in"]],
    ["folder labels from something else", minimalSpec({ data: ['data folder "imgs" size 28 labels from-files'] }, IMAGE_PARTS),
      ["1:35: 'data folder' takes 'labels from-subfolders': each image's class is the name of the subfolder it is in"]],
    ["mnist labels from-subfolders", minimalSpec({ data: ['data mnist labels from-subfolders'] }, IMAGE_PARTS),
      ["1:19: 'labels' takes no value"]],
    ["channels 2", minimalSpec({ data: ['data folder "imgs" size 28 channels 2'] }, IMAGE_PARTS),
      ["1:37: channels must be 1 (grey) or 3 (RGB), got 2"]],
    ["fraction 0", minimalSpec({ data: ['data mnist fraction 0'] }),
      ["1:21: fraction must be in (0, 1], got 0"]],
    ["fraction 1.5", minimalSpec({ data: ['data mnist fraction 1.5'] }),
      ["1:21: fraction must be in (0, 1], got 1.5"]],
    ["batch 0", minimalSpec({ data: ['data ring8 batch 0'] }),
      ["1:18: batch must be at least 1, got 0"]],
    // "" used to resolve to the spec's own folder without a word.
    ["empty folder path", minimalSpec({ data: ['data folder "" size 28 channels 1'] }, IMAGE_PARTS),
      ["1:13: 'data folder' needs a folder, and \"\" names none: write \".\" for the spec's own folder"]],
  ]);
});

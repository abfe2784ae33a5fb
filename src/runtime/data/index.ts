// Data sources: one loader per `data` kind of the language.
import type { DataSpec } from '../../ir/ir.js';
import { cifar10Dataset } from './cifar10.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { folderDataset } from './folder.js';
import { mixtureDataset } from './mixtures.js';
import { mnistDataset } from './mnist.js';
import { mnistIdxDataset } from './mnist-idx.js';

export { type Dataset, DataError, type LoadOptions } from './dataset.js';
export { loadMnistSplits, MNIST_HELD_OUT_COUNT, type LabelledImages, type MnistSplits } from './mnist.js';
export { mixture, type Mixture, type MixtureKind } from './mixtures.js';
export { readImageFolder, defaultCacheDir } from './folder.js';

export async function loadDataset(spec: DataSpec, opts: LoadOptions): Promise<Dataset> {
  switch (spec.kind) {
    case 'mnist':
      return mnistDataset(spec.fraction, opts.seed, spec.labels === true);
    case 'mnist-idx':
      return mnistIdxDataset(spec, opts);
    case 'ring8':
    case 'grid25':
      return mixtureDataset(spec.kind);
    case 'folder':
      return folderDataset(spec, opts);
    case 'cifar10':
      return cifar10Dataset(spec, opts);
  }
}

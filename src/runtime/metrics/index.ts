// Quality measures of generated samples, chosen by the kind of data (see each file for the exact rule):
//   ring8, grid25 → modes (covered, 0–K), hq_share (within 3σ of a mode, 0–1)     modes.ts
//   mnist, mnist-idx → fd_lenet (lower is better), class_coverage (0.1–1)         fd-lenet.ts, class-coverage.ts
//     and, for a class-conditional G, class_match (0–1: chance is 1/K)            class-match.ts
//   folder        → fd_randproj (lower is better; a documented substitute for FID) random_projection.ts
import type { DataSpec } from '../../ir/ir.js';
import type { Dataset } from '../data/dataset.js';
import { mixture } from '../data/mixtures.js';
import { Rng } from '../rng.js';
import { classCoverage } from './class-coverage.js';
import { classMatch } from './class-match.js';
import { defaultClassifier, LENET_FEATURE_DIM } from './classifier.js';
import { fitGaussian, frechetDistance, type GaussianFit } from './frechet.js';
import { MetricError } from './metric-error.js';
import { lenetFeatureFit } from './fd-lenet.js';
import { modeScores } from './modes.js';
import { randomProjectionFit } from './random-projection.js';

export { classCoverage } from './class-coverage.js';
export { classMatch } from './class-match.js';
export { LenetClassifier, defaultClassifier, LENET_FEATURE_DIM } from './classifier.js';
export { MetricError } from './metric-error.js';
export { lenetFeatureFit } from './fd-lenet.js';
export { fitGaussian, frechetDistance, type GaussianFit } from './frechet.js';
export { modeScores, type ModeScores } from './modes.js';
export { randomProjectionFit } from './random-projection.js';

/** The real samples every evaluation of a data set compares against: always the same seeded draw. */
const REFERENCE_SEED = 0x7e57;

/** Reference fits per data set and sample count, so that periodic evaluations during training pay once. */
const referenceFits = new WeakMap<Dataset, Map<string, GaussianFit>>();

async function referenceFit(dataset: Dataset, n: number, measure: string, fit: (real: Float32Array) => GaussianFit | Promise<GaussianFit>): Promise<GaussianFit> {
  const fits = referenceFits.get(dataset) ?? new Map<string, GaussianFit>();
  referenceFits.set(dataset, fits);
  const key = `${measure}:${n}`;
  let found = fits.get(key);
  if (!found) {
    found = await fit(dataset.batch(Rng.fromSeed(REFERENCE_SEED), n));
    fits.set(key, found);
  }
  return found;
}

export interface EvaluateOptions {
  /**
   * A user-supplied feature network (e.g. an Inception converted to TF.js) for image FD. Reserved: loading a
   * TF.js graph model needs @tensorflow/tfjs-converter, which ganc does not ship, and 2048-wide features would
   * need a faster eigensolver than the Jacobi one; until then, giving it is an error rather than silently ignored.
   */
  featureModel?: string;
  /** The class each generated sample was asked for (a conditional G): MNIST then also scores class_match. */
  requestedLabels?: Int32Array;
}

/**
 * Scores n generated samples (`fake`: n × prod(data.shape), the data's value range) against `dataset`.
 * Fréchet distances compare with n real samples drawn from `dataset` (so from the `fraction` subset when
 * there is one); FD is biased upwards at small n, so compare values only at equal n.
 */
export async function evaluateSamples(
  data: DataSpec, dataset: Dataset, fake: Float32Array, n: number, options: EvaluateOptions = {},
): Promise<Record<string, number>> {
  if (options.featureModel !== undefined) {
    throw new MetricError(
      `feature model "${options.featureModel}": user-supplied feature models are not supported yet ` +
        '(TF.js graph models need @tensorflow/tfjs-converter); leave it out to use ganc\'s built-in measures');
  }
  switch (data.kind) {
    case 'ring8':
    case 'grid25': {
      const { modes, hqShare } = modeScores(fake, n, mixture(data.kind));
      return { modes, hq_share: hqShare };
    }
    case 'mnist':
    case 'mnist-idx': {
      const classifier = defaultClassifier();
      // Asynchronous reads: the classifier runs on the current backend, a GPU one included.
      const { features, classes } = await classifier.runAsync(fake, n);
      const real = await referenceFit(dataset, n, 'lenet', async (images) => fitGaussian((await classifier.runAsync(images, n)).features, n, LENET_FEATURE_DIM));
      return {
        fd_lenet: frechetDistance(real, fitGaussian(features, n, LENET_FEATURE_DIM)),
        class_coverage: classCoverage(classes),
        ...(options.requestedLabels ? { class_match: classMatch(classes, options.requestedLabels) } : {}),
      };
    }
    // CIFAR-10 has no offline feature network here either (no Inception weights): the same random projection.
    case 'cifar10':
    case 'folder': {
      const fit = (images: Float32Array) => randomProjectionFit(images, n, dataset.shape);
      return { fd_randproj: frechetDistance(await referenceFit(dataset, n, 'randproj', fit), fit(fake)) };
    }
  }
}

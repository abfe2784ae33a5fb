// Quality measures of generated samples, chosen by the kind of data (see each file for the exact rule):
//   ring8, grid25 → modes (covered, 0–K), hq_share (within 3σ of a mode, 0–1)     modes.ts
//   mnist         → fd_lenet (lower is better), class_coverage (0.1–1)            fd_lenet.ts, class_coverage.ts
//   folder        → fd_randproj (lower is better; a documented substitute for FID) random_projection.ts
import type { DataSpec } from '../../compiler/ir.js';
import type { Dataset } from '../data/dataset.js';
import { mixture } from '../data/mixtures.js';
import { Rng } from '../rng.js';
import { classCoverage } from './class_coverage.js';
import { defaultClassifier, LENET_FEATURE_DIM } from './classifier.js';
import { fitGaussian, frechetDistance, type GaussianFit } from './frechet.js';
import { modeScores } from './modes.js';
import { RANDPROJ_DIM, randomProjectionFeatures } from './random_projection.js';

export { classCoverage } from './class_coverage.js';
export { LenetClassifier, defaultClassifier, ClassifierError, LENET_FEATURE_DIM } from './classifier.js';
export { fdLenet } from './fd_lenet.js';
export { fitGaussian, frechetDistance, type GaussianFit } from './frechet.js';
export { modeScores, type ModeScores } from './modes.js';
export { fdRandomProjection, randomProjectionFeatures } from './random_projection.js';

/** The real samples every evaluation of a data set compares against: always the same seeded draw. */
const REFERENCE_SEED = 0x7e57;

/** Reference fits per data set and sample count, so that periodic evaluations during training pay once. */
const referenceFits = new WeakMap<Dataset, Map<string, GaussianFit>>();

function referenceFit(dataset: Dataset, n: number, measure: string, fit: (real: Float32Array) => GaussianFit): GaussianFit {
  const fits = referenceFits.get(dataset) ?? new Map<string, GaussianFit>();
  referenceFits.set(dataset, fits);
  const key = `${measure}:${n}`;
  let found = fits.get(key);
  if (!found) {
    found = fit(dataset.batch(Rng.fromSeed(REFERENCE_SEED), n));
    fits.set(key, found);
  }
  return found;
}

/**
 * Scores n generated samples (`fake`: n × prod(data.shape), the data's value range) against `dataset`.
 * Fréchet distances compare with n real samples drawn from `dataset` (so from the `fraction` subset when
 * there is one); FD is biased upwards at small n, so compare values only at equal n.
 */
export async function evaluateSamples(data: DataSpec, dataset: Dataset, fake: Float32Array, n: number): Promise<Record<string, number>> {
  switch (data.kind) {
    case 'ring8':
    case 'grid25': {
      const { modes, hqShare } = modeScores(fake, n, mixture(data.kind));
      return { modes, hq_share: hqShare };
    }
    case 'mnist': {
      const classifier = defaultClassifier();
      const { features, classes } = classifier.run(fake, n);
      const real = referenceFit(dataset, n, 'lenet', (images) => fitGaussian(classifier.features(images, n), n, LENET_FEATURE_DIM));
      return {
        fd_lenet: frechetDistance(real, fitGaussian(features, n, LENET_FEATURE_DIM)),
        class_coverage: classCoverage(classes),
      };
    }
    case 'folder': {
      const project = (images: Float32Array) => fitGaussian(randomProjectionFeatures(images, n, dataset.shape), n, RANDPROJ_DIM);
      return { fd_randproj: frechetDistance(referenceFit(dataset, n, 'randproj', project), project(fake)) };
    }
  }
}

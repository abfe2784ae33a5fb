// fd_lenet: the Fréchet distance between real and generated digits in the feature space of ganc's own
// LeNet MNIST classifier (its 128-wide penultimate layer). FID's formula with a small MNIST network in place
// of Inception, which cannot be downloaded here; values are comparable only with other fd_lenet values.
import { defaultClassifier, LENET_FEATURE_DIM, type LenetClassifier } from './classifier.js';
import { fitGaussian, frechetDistance, type GaussianFit } from './frechet.js';

export function lenetFeatureFit(images: Float32Array, n: number, classifier: LenetClassifier = defaultClassifier()): GaussianFit {
  return fitGaussian(classifier.features(images, n), n, LENET_FEATURE_DIM);
}

/** Both image sets: rows of 28×28×1 values in [-1, 1]. */
export function fdLenet(real: Float32Array, nReal: number, fake: Float32Array, nFake: number): number {
  return frechetDistance(lenetFeatureFit(real, nReal), lenetFeatureFit(fake, nFake));
}

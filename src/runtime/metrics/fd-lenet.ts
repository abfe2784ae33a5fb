// fd_lenet: the Fréchet distance between real and generated digits in the feature space of ganc's own
// LeNet MNIST classifier (its 128-wide penultimate layer). FID's formula with a small MNIST network in place
// of Inception, which cannot be downloaded here; values are comparable only with other fd_lenet values.
import { defaultClassifier, LENET_FEATURE_DIM, type LenetClassifier } from './classifier.js';
import { fitGaussian, type GaussianFit } from './frechet.js';

/** The Gaussian fit of n images' LeNet features (images: rows of 28×28×1 values in [-1, 1]). */
export function lenetFeatureFit(images: Float32Array, n: number, classifier: LenetClassifier = defaultClassifier()): GaussianFit {
  return fitGaussian(classifier.features(images, n), n, LENET_FEATURE_DIM);
}


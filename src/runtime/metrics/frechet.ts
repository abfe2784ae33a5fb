// The Fréchet distance between Gaussians fitted to two feature sets (the formula of FID, Heusel et al. 2017):
//   ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁Σ₂)^½.
// Σ₁Σ₂ is not symmetric, but it is similar to Σ₁^½ Σ₂ Σ₁^½, which is symmetric PSD and has the same
// eigenvalues; so tr (Σ₁Σ₂)^½ = Σ √λᵢ(Σ₁^½ Σ₂ Σ₁^½), computed with two symmetric eigendecompositions in float64.
import { MetricError } from './metric-error.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface GaussianFit {
  dim: number;
  mean: Float64Array;
  /** Row-major dim × dim, unbiased (divides by n − 1, as numpy.cov and pytorch-fid do). */
  cov: Float64Array;
}

/** Mean and covariance of n feature rows of width dim (row-major). */
export function fitGaussian(features: ArrayLike<number>, n: number, dim: number): GaussianFit {
  if (features.length !== n * dim) throw new MetricError(`feature table holds ${features.length} values, expected ${n} × ${dim}`);
  if (n < 2) throw new MetricError(`a Fréchet distance needs at least 2 samples per set, got ${n}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) centred[j] = features[i * dim + j] - mean[j];
    for (let j = 0; j < dim; j++) {
      const cj = centred[j];
      for (let k = j; k < dim; k++) cov[j * dim + k] += cj * centred[k];
    }
  }
  for (let j = 0; j < dim; j++) {
    for (let k = j; k < dim; k++) {
      cov[j * dim + k] /= n - 1;
      cov[k * dim + j] = cov[j * dim + k];
    }
  }
  return { dim, mean, cov };
}

/** Σ^½ of a symmetric PSD matrix; tiny negative eigenvalues from rounding count as 0. */
function psdSqrt(matrix: Float64Array, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, d);
  const roots = values.map((value) => Math.sqrt(Math.max(value, 0)));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += vectors[i * d + k] * roots[k] * vectors[j * d + k];
      out[i * d + j] = sum;
      out[j * d + i] = sum;
    }
  }
  return out;
}

function multiply(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

/** tr (Σ₁Σ₂)^½ for symmetric PSD Σ₁, Σ₂. */
export function traceSqrtProduct(cov1: Float64Array, cov2: Float64Array, d: number): number {
  const root1 = psdSqrt(cov1, d);
  const product = multiply(multiply(root1, cov2, d), root1, d);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const symmetric = (product[i * d + j] + product[j * d + i]) / 2; // remove rounding asymmetry
      product[i * d + j] = symmetric;
      product[j * d + i] = symmetric;
    }
  }
  return symmetricEigen(product, d).values.reduce((sum, value) => sum + Math.sqrt(Math.max(value, 0)), 0);
}

export function frechetDistance(a: GaussianFit, b: GaussianFit): number {
  if (a.dim !== b.dim) throw new MetricError(`feature dimensions differ: ${a.dim} vs ${b.dim}`);
  const d = a.dim;
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (a.mean[i] - b.mean[i]) ** 2;
    traces += a.cov[i * d + i] + b.cov[i * d + i];
  }
  return meanTerm + traces - 2 * traceSqrtProduct(a.cov, b.cov, d);
}

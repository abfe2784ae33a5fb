import { describe, expect, it } from 'vitest';
import { fitGaussian, frechetDistance, type GaussianFit, traceSqrtProduct } from '../../../src/runtime/metrics/frechet.js';
import { symmetricEigen } from '../../../src/runtime/metrics/symmetric-eigen.js';
import { Rng } from '../../../src/runtime/rng.js';

/** A random symmetric positive definite d × d matrix: A Aᵀ / d + 0.1 I. */
function randomSpd(rng: Rng, d: number): Float64Array {
  const a = Float64Array.from({ length: d * d }, () => rng.normal());
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += a[i * d + k] * a[j * d + k];
      out[i * d + j] = sum / d + (i === j ? 0.1 : 0);
    }
  }
  return out;
}

function randomVector(rng: Rng, d: number): Float64Array {
  return Float64Array.from({ length: d }, () => rng.normal());
}

describe('symmetricEigen', () => {
  it('reconstructs a random symmetric matrix from orthonormal eigenvectors', () => {
    const d = 12;
    const matrix = randomSpd(Rng.fromSeed(3), d);
    const { values, vectors } = symmetricEigen(matrix, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let reconstructed = 0;
        let gram = 0;
        for (let k = 0; k < d; k++) {
          reconstructed += vectors[i * d + k] * values[k] * vectors[j * d + k];
          gram += vectors[k * d + i] * vectors[k * d + j];
        }
        expect(reconstructed).toBeCloseTo(matrix[i * d + j], 12);
        expect(gram).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});

describe('frechetDistance', () => {
  it('is the squared mean difference when the covariances are identical', () => {
    const rng = Rng.fromSeed(4);
    const d = 16;
    const cov = randomSpd(rng, d);
    const a: GaussianFit = { dim: d, mean: randomVector(rng, d), cov };
    const b: GaussianFit = { dim: d, mean: randomVector(rng, d), cov };
    const squaredMeanDifference = a.mean.reduce((sum, m, i) => sum + (m - b.mean[i]) ** 2, 0);
    expect(frechetDistance(a, b)).toBeCloseTo(squaredMeanDifference, 9);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 9);
  });

  it('is Σ (√aᵢ − √bᵢ)² for diagonal covariances', () => {
    const d = 5;
    const diagonal = (values: number[]) => {
      const cov = new Float64Array(d * d);
      values.forEach((v, i) => (cov[i * d + i] = v));
      return cov;
    };
    const va = [1, 4, 0.25, 9, 2];
    const vb = [4, 1, 1, 9, 0.5];
    const zero = new Float64Array(d);
    const expected = va.reduce((sum, v, i) => sum + (Math.sqrt(v) - Math.sqrt(vb[i])) ** 2, 0);
    expect(frechetDistance({ dim: d, mean: zero, cov: diagonal(va) }, { dim: d, mean: zero, cov: diagonal(vb) })).toBeCloseTo(expected, 12);
  });

  it('matches the closed form tr √(Σ₁Σ₂) = √(tr M + 2√det M) for non-commuting 2 × 2 covariances', () => {
    const rng = Rng.fromSeed(5);
    for (let trial = 0; trial < 20; trial++) {
      const s1 = randomSpd(rng, 2);
      const s2 = randomSpd(rng, 2);
      const m = [s1[0] * s2[0] + s1[1] * s2[2], s1[0] * s2[1] + s1[1] * s2[3], s1[2] * s2[0] + s1[3] * s2[2], s1[2] * s2[1] + s1[3] * s2[3]];
      const direct = Math.sqrt(m[0] + m[3] + 2 * Math.sqrt(m[0] * m[3] - m[1] * m[2]));
      expect(traceSqrtProduct(s1, s2, 2)).toBeCloseTo(direct, 12);
    }
  });

  it('recovers the population distance from samples of two known Gaussians', () => {
    // N(0, I) against N(μ, 4I) in 3-D: FD = ‖μ‖² + Σ (1 − 2)² = 3 + 3 = 6.
    const rng = Rng.fromSeed(6);
    const n = 20000;
    const d = 3;
    const x = new Float64Array(n * d).map(() => rng.normal());
    const y = new Float64Array(n * d).map(() => 1 + 2 * rng.normal());
    expect(frechetDistance(fitGaussian(x, n, d), fitGaussian(y, n, d))).toBeCloseTo(6, 1);
  });

  it('is zero for a 128-wide feature set against itself', () => {
    const rng = Rng.fromSeed(7);
    const n = 400;
    const d = 128;
    const fit = fitGaussian(new Float64Array(n * d).map(() => rng.normal()), n, d);
    expect(Math.abs(frechetDistance(fit, fit))).toBeLessThan(1e-8);
  });
});

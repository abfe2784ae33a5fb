// Mode coverage on the 2-D mixtures, by the convention of VEEGAN (Srivastava et al. 2017) as made precise by
// PacGAN (Lin et al. 2018):
// - a sample is high-quality when it lies within 3σ (Euclidean distance) of its nearest mode;
// - a mode is covered when its high-quality samples make up at least 1/5 of the share a perfect generator
//   would give it, i.e. ≥ 0.2 · n / K of the n samples (20 of 2,500 for grid25's 25 modes).
// Real data scores all K modes and hq_share ≈ 0.989 (the mass of a 2-D Gaussian within 3σ: 1 − e^−4.5).
import type { Mixture } from '../data/mixtures.js';
import { MetricError } from './metric-error.js';

/** High-quality radius in standard deviations. */
export const HIGH_QUALITY_SIGMAS = 3;
/** A mode's share of high-quality samples, relative to 1/K, from which it counts as covered. */
export const COVERED_SHARE_OF_EXPECTED = 0.2;

export interface ModeScores {
  /** Modes covered, 0–K. */
  modes: number;
  /** Share of samples within 3σ of their nearest mode, 0–1. */
  hqShare: number;
}

/** `samples`: n rows of [x, y]. */
export function modeScores(samples: Float32Array, n: number, { modes, std }: Mixture): ModeScores {
  if (samples.length !== 2 * n) throw new MetricError(`mode scores need n × 2 values, got ${samples.length} for n = ${n}`);
  const radius = HIGH_QUALITY_SIGMAS * std;
  const highQualityPerMode = new Array<number>(modes.length).fill(0);
  let highQuality = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i];
    const y = samples[2 * i + 1];
    let nearest = 0;
    let nearestDistance = Infinity;
    modes.forEach(([mx, my], k) => {
      const distance = Math.hypot(x - mx, y - my);
      if (distance < nearestDistance) {
        nearestDistance = distance;
        nearest = k;
      }
    });
    if (nearestDistance <= radius) {
      highQuality++;
      highQualityPerMode[nearest]++;
    }
  }
  const needed = (COVERED_SHARE_OF_EXPECTED * n) / modes.length;
  return {
    modes: highQualityPerMode.filter((count) => count > 0 && count >= needed).length,
    hqShare: highQuality / n,
  };
}

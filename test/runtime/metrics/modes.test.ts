import { describe, expect, it } from 'vitest';
import { mixture, mixtureDataset } from '../../../src/runtime/data/mixtures.js';
import { classCoverage } from '../../../src/runtime/metrics/class-coverage.js';
import { modeScores } from '../../../src/runtime/metrics/modes.js';
import { Rng } from '../../../src/runtime/rng.js';

const N = 2500;

/** n samples of one mode of the mixture only (a fully collapsed generator). */
function collapsed(kind: 'ring8' | 'grid25', rng: Rng, n: number): Float32Array {
  const { modes, std } = mixture(kind);
  const [mx, my] = modes[0];
  return Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? mx : my) + std * rng.normal());
}

describe('modeScores', () => {
  for (const kind of ['ring8', 'grid25'] as const) {
    const modeCount = mixture(kind).modes.length;

    it(`${kind}: samples of the mixture cover all ${modeCount} modes with hq_share ≈ 0.989`, () => {
      const scores = modeScores(mixtureDataset(kind).batch(Rng.fromSeed(1), N), N, mixture(kind));
      expect(scores.modes).toBe(modeCount);
      expect(scores.hqShare).toBeGreaterThan(0.97);
    });

    it(`${kind}: a collapsed generator covers one mode`, () => {
      const scores = modeScores(collapsed(kind, Rng.fromSeed(2), N), N, mixture(kind));
      expect(scores.modes).toBe(1);
      expect(scores.hqShare).toBeGreaterThan(0.97);
    });

    it(`${kind}: uniform noise covers no mode and is almost never high-quality`, () => {
      const noise = Rng.fromSeed(3).fillUniform(new Float32Array(2 * N), -5, 5);
      const scores = modeScores(noise, N, mixture(kind));
      expect(scores.modes).toBe(0);
      expect(scores.hqShare).toBeLessThan(0.05);
    });
  }

  it('counts a mode as covered from 1/5 of its expected share of high-quality samples', () => {
    // ring8, n = 800: a perfect generator puts 100 samples on each mode, so the bar is 20.
    const ring = mixture('ring8');
    const samplesWith = (onSecondMode: number) =>
      Float32Array.from({ length: 1600 }, (_, i) => ring.modes[Math.floor(i / 2) < onSecondMode ? 1 : 0][i % 2]);
    expect(modeScores(samplesWith(19), 800, ring).modes).toBe(1);
    expect(modeScores(samplesWith(20), 800, ring).modes).toBe(2);
  });
});

describe('classCoverage', () => {
  it('is 1 for balanced classes, 0.1 for one class, and ignores classes under 1/5 of their share', () => {
    const balanced = Uint8Array.from({ length: 1000 }, (_, i) => i % 10);
    expect(classCoverage(balanced)).toBe(1);
    expect(classCoverage(new Uint8Array(1000).fill(7))).toBe(0.1);
    // 1000 samples: a class needs 20. Class 3 gets 19, class 4 gets 20, the rest go to class 0.
    const skewed = Uint8Array.from({ length: 1000 }, (_, i) => (i < 19 ? 3 : i < 39 ? 4 : 0));
    expect(classCoverage(skewed)).toBe(0.2);
  });
});

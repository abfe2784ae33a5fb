import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/ir/ir.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { mixture } from '../../../src/runtime/data/mixtures.js';
import { Rng } from '../../../src/runtime/rng.js';

const spec = (kind: 'ring8' | 'grid25'): DataSpec => ({ kind, batch: 64, fraction: 1, shape: [2] });
const load = (kind: 'ring8' | 'grid25') => loadDataset(spec(kind), { seed: 0, specDir: '.' });

describe('mixtures', () => {
  it('place ring8 on a circle of radius 2 (std 0.02) and grid25 on {-4,-2,0,2,4}² (std 0.05)', () => {
    const ring = mixture('ring8');
    expect(ring.modes).toHaveLength(8);
    expect(ring.std).toBe(0.02);
    for (const [x, y] of ring.modes) expect(Math.hypot(x, y)).toBeCloseTo(2, 12);
    const grid = mixture('grid25');
    expect(grid.std).toBe(0.05);
    expect(new Set(grid.modes.map(([x, y]) => `${x},${y}`)).size).toBe(25);
    for (const coordinate of grid.modes.flat()) expect([-4, -2, 0, 2, 4]).toContain(coordinate);
  });

  for (const kind of ['ring8', 'grid25'] as const) {
    it(`${kind}: 2-D samples, infinite size, the same batch for the same RNG state`, async () => {
      const dataset = await load(kind);
      expect(dataset.shape).toEqual([2]);
      expect(dataset.size).toBe(Infinity);
      const batch = dataset.batch(Rng.fromSeed(1), 1000);
      expect(batch).toHaveLength(2000);
      expect(dataset.batch(Rng.fromSeed(1), 1000)).toEqual(batch);
      expect(dataset.batch(Rng.fromSeed(2), 1000)).not.toEqual(batch);
    });

    it(`${kind}: samples scatter around every mode with the documented std`, async () => {
      const { modes, std } = mixture(kind);
      const n = 20000;
      const batch = (await load(kind)).batch(Rng.fromSeed(3), n);
      const hits = new Array<number>(modes.length).fill(0);
      let squaredOffsets = 0;
      for (let i = 0; i < n; i++) {
        const distances = modes.map(([x, y]) => Math.hypot(batch[2 * i] - x, batch[2 * i + 1] - y));
        const nearest = distances.indexOf(Math.min(...distances));
        hits[nearest]++;
        squaredOffsets += distances[nearest] ** 2;
      }
      for (const count of hits) expect(count).toBeGreaterThan((0.7 * n) / modes.length);
      expect(Math.sqrt(squaredOffsets / (2 * n))).toBeCloseTo(std, 2); // per-axis std
    });
  }
});

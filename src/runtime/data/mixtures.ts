// The 2-D Gaussian mixtures of the GAN stability literature (Metz et al. 2017, Srivastava et al. 2017 VEEGAN,
// Lin et al. 2018 PacGAN), with their usual settings:
// - ring8:  8 equal-weight components with means on a circle of radius 2 (angles 2πk/8), std 0.02;
// - grid25: 25 equal-weight components with means on the grid {-4, -2, 0, 2, 4}², std 0.05.
// Both are isotropic; samples are drawn afresh on every call, so the data set is infinite.
import type { Dataset } from './dataset.js';

export type MixtureKind = 'ring8' | 'grid25';

export interface Mixture {
  /** Component means, [x, y] each. */
  modes: Array<[number, number]>;
  /** Standard deviation of every component along each axis. */
  std: number;
}

const RING_RADIUS = 2;

export function mixture(kind: MixtureKind): Mixture {
  if (kind === 'ring8') {
    const modes = Array.from({ length: 8 }, (_, k): [number, number] => {
      const angle = (2 * Math.PI * k) / 8;
      return [RING_RADIUS * Math.cos(angle), RING_RADIUS * Math.sin(angle)];
    });
    return { modes, std: 0.02 };
  }
  const axis = [-4, -2, 0, 2, 4];
  return { modes: axis.flatMap((x) => axis.map((y): [number, number] => [x, y])), std: 0.05 };
}

export function mixtureDataset(kind: MixtureKind): Dataset {
  const { modes, std } = mixture(kind);
  return {
    shape: [2],
    size: Infinity,
    name: `${kind} (${modes.length} Gaussians, std ${std})`,
    batch(rng, n) {
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const [mx, my] = modes[rng.int(modes.length)];
        out[2 * i] = mx + std * rng.normal();
        out[2 * i + 1] = my + std * rng.normal();
      }
      return out;
    },
  };
}

// A run folder as training would leave it, without training: 200 logged steps of plausible metrics,
// quality every 50 steps and three sample grids, for the report tests.
import { join } from 'node:path';
import { Rng } from '../../../src/runtime/rng.js';
import { MetricsLog } from '../../../src/runtime/run/metrics-log.js';
import { createRunDir } from '../../../src/runtime/run/run-dir.js';
import { writeSampleGrid } from '../../../src/runtime/run/sample-grid.js';

export const SYNTHETIC_STEPS = 200;
export const SAMPLE_STEPS = [0, 100, 200];
/** Plots the report draws for it: losses, one regularizer, three terms (gp, R, R_t), two gradient norms, two quality metrics, step time. */
export const EXPECTED_CHARTS = 10;

export const SYNTHETIC_SPEC = `gan pgn_mnist
data mnist batch 64
latent normal 128
normalize D pgn
loss hinge
let lambda = 100
reg lambda*R_t^3 window 2
train steps 200 seed 0
`;

/** `name`, `spec`: another run folder name and spec text; `scale`: losses multiplied by it (a run to tell apart). */
export function makeSyntheticRun(root: string, kind: 'images' | 'points' = 'images', variant: { name?: string; spec?: string; scale?: number } = {}): string {
  const shape = kind === 'images' ? [28, 28, 1] : [2];
  const name = variant.name ?? (kind === 'images' ? 'pgn_mnist' : 'pgn_ring8');
  const scale = variant.scale ?? 1;
  const runDir = createRunDir(root, name, {
    specText: variant.spec ?? SYNTHETIC_SPEC,
    ir: { version: 1, name, data: { kind: kind === 'images' ? 'mnist' : 'ring8', shape }, train: { steps: SYNTHETIC_STEPS } },
  });
  const rng = Rng.fromSeed(7);
  const log = MetricsLog.open(join(runDir, 'metrics.jsonl'));
  const start = Date.parse('2026-11-24T18:00:00Z');
  for (let step = 1; step <= SYNTHETIC_STEPS; step++) {
    const decay = Math.exp(-step / 60);
    const R = 0.4 * decay * Math.sin(step / 7) + 0.03 * rng.normal();
    log.append({
      step,
      time: new Date(start + step * 850).toISOString(),
      losses: { D: scale * (1.2 * decay + 0.6 + 0.05 * rng.normal()), G: scale * (0.4 + 0.8 * (1 - decay) + 0.08 * rng.normal()) },
      terms: { gp: 0.2 * decay + 0.01 * Math.abs(rng.normal()), R },
      regularizers: { 'reg lambda*R_t^3 window 2': 100 * R ** 3 },
      windowed: { R_t: R * 0.9 },
      grad_norms: { D_real: 1 + 0.3 * decay + 0.05 * rng.normal(), D_fake: 1 + 0.3 * decay - R },
      step_ms: 820 + 60 * rng.normal() + (step === 1 ? 2400 : 0),
      ...(step % 50 === 0 ? { quality: kind === 'images' ? { fd_lenet: 80 * decay + 5, class_coverage: 1 - 0.5 * decay } : { modes: Math.min(8, Math.round(2 + step / 30)), hq_share: 1 - decay } } : {}),
    });
  }
  log.close();
  for (const step of SAMPLE_STEPS) {
    const path = join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`);
    if (kind === 'images') writeSampleGrid(path, syntheticDigits(rng, 64, step / SYNTHETIC_STEPS), 64, shape);
    else writeSampleGrid(path, syntheticRing(rng, 512, step / SYNTHETIC_STEPS), 512, shape, { realPoints: syntheticRing(rng, 512, 1) });
  }
  return runDir;
}

/** Rings of varying size that sharpen as `progress` goes from 0 (noise) to 1. */
function syntheticDigits(rng: Rng, n: number, progress: number): Float32Array {
  const out = new Float32Array(n * 28 * 28);
  for (let s = 0; s < n; s++) {
    const radius = 5 + rng.uniform() * 5;
    const cx = 14 + rng.normal();
    const cy = 14 + rng.normal();
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const ink = Math.exp(-((Math.hypot(x - cx, y - cy) - radius) ** 2) / 2);
        out[(s * 28 + y) * 28 + x] = Math.tanh(progress * (4 * ink - 2) + (1 - progress) * rng.normal());
      }
    }
  }
  return out;
}

/** Eight Gaussian modes on a circle of radius 2 (ring8); early samples spread out. */
function syntheticRing(rng: Rng, n: number, progress: number): Float32Array {
  const out = new Float32Array(n * 2);
  const spread = 0.02 + (1 - progress) * 1.2;
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * rng.int(8)) / 8;
    out[2 * i] = 2 * Math.cos(angle) * progress + spread * rng.normal();
    out[2 * i + 1] = 2 * Math.sin(angle) * progress + spread * rng.normal();
  }
  return out;
}

// The `augment` statement's T (ir.ts, AugmentSpec) as a function of a batch, given its random draws.
// Every draw is a uniform number in [0, 1) per sample, made by the trainer from the run's noise RNG (so
// checkpoints carry it) or read from the probe's batch file (so PyTorch uses the very same draws); the
// integer offsets follow from them by the formulas below, which the PyTorch reference repeats. Every
// operation is a product with a constant (a 0/1 shift matrix, a mask) or an affine map, so T has exact
// derivatives of every order: ∇ₓD(T(x)) and the second-order gradients through it are exact.
import * as tf from '@tensorflow/tfjs-core';
import type { AugmentOpSpec, AugmentSpec } from '../../ir/ir.js';
import type { Rng } from '../rng.js';

/** Uniform draws per operation: [batch, drawsPerSample(op)] row-major, one array per op of the spec. */
export type AugmentDraws = Float32Array[];

/** flip: 1 (mirror when < ½); translate: 2 (rows, columns); cutout: 2 (centre row, column); color: 3. */
export function drawsPerSample(op: AugmentOpSpec): number {
  switch (op.kind) {
    case 'flip': return 1;
    case 'translate': return 2;
    case 'cutout': return 2;
    case 'color': return 3;
  }
}

export function drawAugment(spec: AugmentSpec, rng: Rng, batch: number): AugmentDraws {
  return spec.ops.map((op) => rng.fillUniform(new Float32Array(batch * drawsPerSample(op))));
}

/** DiffAugment's round(ratio·side): int(side·ratio + 0.5). */
const pixels = (side: number, ratio: number): number => Math.floor(side * ratio + 0.5);

/** A whole number in [0, n) from a uniform draw. */
const pick = (u: number, n: number): number => Math.min(n - 1, Math.floor(u * n));

/** T(x) for a batch x [N, H, W, C] (images only: the checker refuses `augment` on flat data). */
export function applyAugment(spec: AugmentSpec, draws: AugmentDraws, x: tf.Tensor): tf.Tensor {
  let h = x;
  spec.ops.forEach((op, i) => { h = applyOp(op, draws[i], h); });
  return h;
}

function applyOp(op: AugmentOpSpec, u: Float32Array, x: tf.Tensor): tf.Tensor {
  const [n, height, width] = x.shape;
  switch (op.kind) {
    case 'flip':
      return alongWidth(x, selectionMatrices(n, width, (s, j) => (u[s] < 0.5 ? width - 1 - j : j)));
    case 'translate': {
      // out[i] = x[i + t], zeros shifted in, t uniform in [−shift, shift] (DiffAugment's rand_translation).
      const shiftH = pixels(height, op.ratio);
      const shiftW = pixels(width, op.ratio);
      const t = (s: number, k: number, shift: number): number => pick(u[s * 2 + k], 2 * shift + 1) - shift;
      const rows = alongHeight(x, selectionMatrices(n, height, (s, i) => i + t(s, 0, shiftH)));
      return alongWidth(rows, selectionMatrices(n, width, (s, j) => j + t(s, 1, shiftW)));
    }
    case 'cutout': {
      // DiffAugment's rand_cutout: a size×size square at offset − size//2, offset in [0, side + 1 − size%2).
      const sizeH = pixels(height, op.ratio);
      const sizeW = pixels(width, op.ratio);
      const channels = x.shape[3] as number;
      const mask = new Float32Array(n * height * width * channels).fill(1);
      for (let s = 0; s < n; s++) {
        const top = pick(u[s * 2], height + 1 - (sizeH % 2)) - Math.floor(sizeH / 2);
        const left = pick(u[s * 2 + 1], width + 1 - (sizeW % 2)) - Math.floor(sizeW / 2);
        for (let i = Math.max(0, top); i < Math.min(height, top + sizeH); i++) {
          for (let j = Math.max(0, left); j < Math.min(width, left + sizeW); j++) {
            mask.fill(0, ((s * height + i) * width + j) * channels, ((s * height + i) * width + j + 1) * channels);
          }
        }
      }
      return tf.mul(x, tf.tensor(mask, x.shape));
    }
    case 'color': {
      // DiffAugment's brightness, saturation, contrast, in that order.
      const column = (k: number, f: (v: number) => number): tf.Tensor =>
        tf.tensor(Float32Array.from({ length: n }, (_, s) => f(u[s * 3 + k])), [n, 1, 1, 1]);
      const bright = tf.add(x, column(0, (v) => v - 0.5));
      const pixelMean = tf.mean(bright, 3, true);
      const saturated = tf.add(tf.mul(tf.sub(bright, pixelMean), column(1, (v) => v * 2)), pixelMean);
      const imageMean = tf.mean(saturated, [1, 2, 3], true);
      return tf.add(tf.mul(tf.sub(saturated, imageMean), column(2, (v) => v + 0.5)), imageMean);
    }
  }
}

/** One 0/1 matrix [side, side] per sample: row i has its 1 at source(s, i), or none when that falls outside. */
function selectionMatrices(n: number, side: number, source: (sample: number, i: number) => number): tf.Tensor3D {
  const m = new Float32Array(n * side * side);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < side; i++) {
      const a = source(s, i);
      if (a >= 0 && a < side) m[(s * side + i) * side + a] = 1;
    }
  }
  return tf.tensor3d(m, [n, side, side]);
}

/** out[s, i, j, c] = Σ_a m[s, i, a]·x[s, a, j, c]. */
function alongHeight(x: tf.Tensor, m: tf.Tensor3D): tf.Tensor {
  const [n, h, w, c] = x.shape;
  return tf.reshape(tf.matMul(m, tf.reshape(x, [n, h, w * c]) as tf.Tensor3D), [n, h, w, c]);
}

/** out[s, i, j, c] = Σ_b m[s, j, b]·x[s, i, b, c]. */
function alongWidth(x: tf.Tensor, m: tf.Tensor3D): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const swapped = tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [n, w, h * c]);
  const moved = tf.reshape(tf.matMul(m, swapped as tf.Tensor3D), [n, w, h, c]);
  return tf.transpose(moved, [0, 2, 1, 3]);
}

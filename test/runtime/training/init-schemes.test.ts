// `init` schemes as the runtime draws them (src/runtime/train/init.ts): each kernel's spread as
// torch.nn.init's formula says, orthogonal kernels orthonormal in PyTorch's matrix view, biases 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/runtime/backend.js';
import { allParams, initParams, orthogonalMatrix } from '../../../src/runtime/train/init.js';
import { Rng } from '../../../src/runtime/rng.js';
import { compileSpecText } from './compile-spec.js';

const spec = (init: string) => `data folder "unused" size 8 channels 1
latent normal 256
${init}
generator
  dense 8*8
  reshape 8 8 1
discriminator
  conv 64 kernel 5
  deconv 48 kernel 4 stride 2
  avgpool 4
  flatten
  dense 256
  dense 1
`;

function stats(values: Float32Array): { mean: number; std: number; max: number } {
  let sum = 0;
  let squares = 0;
  let max = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
    max = Math.max(max, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(squares / values.length - mean * mean), max };
}

/** Draws the spec's parameters; each one's values by name. */
function drawn(text: string): Record<string, Float32Array> {
  const ir = compileSpecText(text);
  const params = initParams(ir, Rng.fromSeed(5));
  const out = Object.fromEntries(allParams(ir).map((p) => [p.name, params[p.name].dataSync() as Float32Array]));
  Object.values(params).forEach((t) => t.dispose());
  return out;
}

/** Largest |MᵀM − I| entry over M's columns (rows × columns, row-major), or MMᵀ when `rowsOrthonormal`. */
function orthonormalityError(m: Float32Array, rows: number, columns: number, rowsOrthonormal: boolean): number {
  const [count, length] = rowsOrthonormal ? [rows, columns] : [columns, rows];
  const at = (vector: number, i: number) => (rowsOrthonormal ? m[vector * columns + i] : m[i * columns + vector]);
  let worst = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a; b < count; b++) {
      let dot = 0;
      for (let i = 0; i < length; i++) dot += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('init schemes', () => {
  it('kaiming: N(0, 2/fanIn) (kaiming_normal_\'s defaults), biases 0', () => {
    const values = drawn(spec('init D kaiming'));
    // conv 5×5×1 → 64: fanIn 25; dense 4·4·48 → 256: fanIn 768
    for (const [name, fanIn] of [['D.0.conv.kernel', 25], ['D.4.dense.kernel', 4 * 4 * 48]] as const) {
      const { mean, std } = stats(values[name]);
      expect(Math.abs(mean), name).toBeLessThan(0.05 * Math.sqrt(2 / fanIn));
      expect(std / Math.sqrt(2 / fanIn), name).toBeCloseTo(1, 1);
    }
    expect(stats(values['D.0.conv.bias']).max).toBe(0);
    // G keeps PyTorch's default U(±1/sqrt(fanIn)).
    expect(stats(values['G.0.dense.kernel']).max).toBeLessThanOrEqual(1 / 16);
    expect(stats(values['G.0.dense.bias']).max).toBeGreaterThan(0);
  });

  it('xavier: U(±sqrt(6/(fanIn+fanOut))) with PyTorch\'s fans (a transposed conv\'s fanIn from its outputs)', () => {
    const values = drawn(spec('init D xavier'));
    // deconv 4×4, 64 → 48 channels: fanIn 16·48, fanOut 16·64
    const bound = Math.sqrt(6 / (16 * 48 + 16 * 64));
    const { max, std } = stats(values['D.1.deconv.kernel']);
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(0.99 * bound);
    expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
    expect(stats(values['D.1.deconv.bias']).max).toBe(0);
  });

  it('normal STD: N(0, STD²)', () => {
    const { std, mean } = stats(drawn(spec('init D normal 0.02'))['D.4.dense.kernel']);
    expect(std).toBeCloseTo(0.02, 3);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
  });

  it('orthogonal: orthonormal columns of (all axes but the last) × (last axis), rows when wider than tall', () => {
    const values = drawn(spec('init D orthogonal\ninit G orthogonal'));
    // conv [5, 5, 1, 64]: 25 × 64, wider than tall: orthonormal rows
    expect(orthonormalityError(values['D.0.conv.kernel'], 25, 64, true)).toBeLessThan(1e-5);
    // deconv [4, 4, 48, 64] (the last axis: its 64 input channels, PyTorch's first weight axis): 768 × 64
    expect(orthonormalityError(values['D.1.deconv.kernel'], 768, 64, false)).toBeLessThan(1e-5);
    // dense [256, 64] in G: 256 × 64, orthonormal columns
    expect(orthonormalityError(values['G.0.dense.kernel'], 256, 64, false)).toBeLessThan(1e-5);
    expect(stats(values['D.5.dense.bias']).max).toBe(0);
  });

  it('orthogonal matrices are random, not a fixed basis', () => {
    const a = orthogonalMatrix(6, 3, Rng.fromSeed(1));
    const b = orthogonalMatrix(6, 3, Rng.fromSeed(2));
    expect(orthonormalityError(a, 6, 3, false)).toBeLessThan(1e-6);
    expect(a).not.toEqual(b);
  });
});

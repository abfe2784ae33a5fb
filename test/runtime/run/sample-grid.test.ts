import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GENERATED_COLOUR, REAL_COLOUR, SampleGridError, writeSampleGrid } from '../../../src/runtime/run/sample-grid.js';
import { tempDir } from './temp-dir.js';

function decode(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

function rgbAt(png: PNG, x: number, y: number): [number, number, number] {
  const at = (y * png.width + x) * 4;
  return [png.data[at], png.data[at + 1], png.data[at + 2]];
}

describe('writeSampleGrid: images', () => {
  it('tiles grey samples into a near-square grid with padding', () => {
    // 5 samples of 3x4: 3 columns, 2 rows; padding 2 → 3*4 + 4*2 = 20 wide, 2*3 + 3*2 = 12 high.
    const [n, h, w] = [5, 3, 4];
    const samples = new Float32Array(n * h * w);
    for (let s = 0; s < n; s++) for (let i = 0; i < h * w; i++) samples[s * h * w + i] = -1 + (2 * (s * h * w + i)) / (n * h * w - 1);
    samples[0] = -1; // black
    samples[1] = 0; // mid grey
    samples[2] = 1; // white
    const path = join(tempDir('grid'), 'grey.png');
    writeSampleGrid(path, samples, n, [h, w, 1]);
    const png = decode(path);
    expect([png.width, png.height]).toEqual([20, 12]);
    expect(rgbAt(png, 2, 2)).toEqual([0, 0, 0]);
    expect(rgbAt(png, 3, 2)).toEqual([128, 128, 128]);
    expect(rgbAt(png, 4, 2)).toEqual([255, 255, 255]);
    // Sample 4 (second row, middle column) pixel (y=2, x=3) sits at left 2+1*(4+2)=8, top 2+1*(3+2)=7.
    const expected = Math.round((samples[4 * h * w + 2 * w + 3] + 1) * 127.5);
    expect(rgbAt(png, 8 + 3, 7 + 2)).toEqual([expected, expected, expected]);
    expect(rgbAt(png, 0, 0)).toEqual([128, 128, 128]); // outer padding
    expect(rgbAt(png, 14 + 1, 7 + 1)).toEqual([128, 128, 128]); // the empty sixth slot
  });

  it('keeps the three channels of colour samples, clamping values outside [-1, 1]', () => {
    const samples = new Float32Array(4 * 2 * 2 * 3).fill(-1);
    samples.set([1, -1, 0], 0); // sample 0, pixel (0,0): red + half blue
    samples.set([-1, 5, -7], (3 * 4 + 3) * 3); // sample 3, pixel (1,1): clamped to green
    const path = join(tempDir('grid'), 'rgb.png');
    writeSampleGrid(path, samples, 4, [2, 2, 3], { padding: 1, paddingGrey: 40 });
    const png = decode(path);
    expect([png.width, png.height]).toEqual([7, 7]);
    expect(rgbAt(png, 1, 1)).toEqual([255, 0, 128]);
    expect(rgbAt(png, 5, 5)).toEqual([0, 255, 0]);
    expect(rgbAt(png, 3, 3)).toEqual([40, 40, 40]);
  });

  it('rejects data that does not match n and the shape, or a shape it cannot draw', () => {
    const dir = tempDir('grid');
    expect(() => writeSampleGrid(join(dir, 'a.png'), new Float32Array(10), 2, [2, 2, 1])).toThrow(SampleGridError);
    expect(() => writeSampleGrid(join(dir, 'b.png'), new Float32Array(16), 2, [2, 2, 2])).toThrow(/cannot draw samples of shape \[2,2,2\]/);
  });
});

describe('writeSampleGrid: 2-D points', () => {
  it('draws generated points over real ones on fixed axes', () => {
    // 101 px over [-5, 5]: 10 px per unit, x = (v + 5) * 10, y = (5 - v) * 10.
    const path = join(tempDir('grid'), 'points.png');
    const generated = new Float32Array([0.5, 0.5, 4, -4, 100, 100, NaN, 0]);
    const real = new Float32Array([-3.5, 3.5]);
    writeSampleGrid(path, generated, 4, [2], { sizePx: 101, realPoints: real });
    const png = decode(path);
    expect([png.width, png.height]).toEqual([101, 101]);
    const blend = (colour: number[]) => colour.map((c) => Math.round(255 * 0.45 + c * 0.55));
    expect(rgbAt(png, 55, 45)).toEqual(blend(GENERATED_COLOUR));
    expect(rgbAt(png, 15, 15)).toEqual(blend(REAL_COLOUR));
    const [r, g, b] = rgbAt(png, 90, 90);
    expect(b).toBeGreaterThan(r);
    expect(g).toBeLessThan(255);
    expect(rgbAt(png, 3, 3)).toEqual([255, 255, 255]); // background
    expect(rgbAt(png, 50, 3)).toEqual([170, 170, 170]); // the y axis
  });
});

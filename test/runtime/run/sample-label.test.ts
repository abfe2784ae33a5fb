// Sample pictures enlarged by nearest neighbour (`--scale`) and labelled in a bitmap font (`--label`),
// read back from the PNG file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { glyph, GLYPH_HEIGHT } from '../../../src/runtime/run/bitmap-font.js';
import { labelPixelSize, SampleGridError, writeSampleGrid } from '../../../src/runtime/run/sample-grid.js';

const dir = mkdtempSync(join(tmpdir(), 'ganc-sample-label-'));

/** n samples of [h, w, c] whose values sweep [-1, 1], so neighbouring pixels differ. */
function sweep(n: number, shape: number[]): Float32Array {
  const length = n * shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length }, (_, i) => ((i * 37) % 256) / 127.5 - 1);
}

function picture(name: string, samples: Float32Array, n: number, shape: number[], options: Parameters<typeof writeSampleGrid>[4]): PNG {
  const file = join(dir, name);
  writeSampleGrid(file, samples, n, shape, options);
  return PNG.sync.read(readFileSync(file));
}

/** The RGBA pixel at (x, y). */
const at = (png: PNG, x: number, y: number): number[] => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4)];

/** Lit pixels of a text in the font, each drawn as a size × size block. */
const inkOf = (text: string, size: number): number =>
  [...text].reduce((sum, c) => sum + glyph(c).reduce((s, row) => s + row.toString(2).split('1').length - 1, 0), 0) * size * size;

describe('sample pictures', () => {
  const shape = [8, 8, 1];
  const samples = sweep(16, shape);
  const plain = picture('plain.png', samples, 16, shape, {});

  it('--scale N repeats every pixel as an N×N block', () => {
    const scaled = picture('scaled.png', samples, 16, shape, { scale: 3 });
    expect([plain.width, plain.height]).toEqual([42, 42]);
    expect([scaled.width, scaled.height]).toEqual([126, 126]);
    for (let y = 0; y < scaled.height; y += 5) {
      for (let x = 0; x < scaled.width; x += 7) expect(at(scaled, x, y)).toEqual(at(plain, Math.floor(x / 3), Math.floor(y / 3)));
    }
  });

  it('--label draws the text in a white band above the picture, every glyph pixel of it', () => {
    const text = 'step 1200  gnd_mnist';
    const labelled = picture('labelled.png', samples, 16, shape, { scale: 3, label: text });
    const size = labelPixelSize(text, 126, 3);
    const band = (GLYPH_HEIGHT + 4) * size;
    expect([labelled.width, labelled.height]).toEqual([126, 126 + band]);
    let ink = 0;
    for (let y = 0; y < band; y++) {
      for (let x = 0; x < labelled.width; x++) {
        const [r] = at(labelled, x, y);
        expect([0, 255]).toContain(r);
        if (r === 0) ink++;
      }
    }
    expect(ink).toBe(inkOf(text, size));
    expect(ink).toBeGreaterThan(0);
    // Below the band, the picture itself, unchanged.
    const scaled = picture('scaled-again.png', samples, 16, shape, { scale: 3 });
    for (let y = 0; y < scaled.height; y += 9) expect(at(labelled, 50, band + y)).toEqual(at(scaled, 50, y));
  });

  it('labels colour pictures and scatter plots too, and cuts a label too wide for the picture', () => {
    const rgb = picture('rgb.png', sweep(1, [8, 8, 3]), 1, [8, 8, 3], { label: 'step 7  a_very_long_spec_name' });
    expect(rgb.width).toBe(12);
    const shown = 'step 7  a_very_long_spec_name'.slice(0, 1);
    let ink = 0;
    for (let y = 0; y < 11; y++) for (let x = 0; x < rgb.width; x++) if (at(rgb, x, y)[1] === 0) ink++;
    expect(ink).toBe(inkOf(shown, 1));
    const scatter = picture('scatter.png', sweep(64, [2]), 64, [2], { label: 'step 3  ring8' });
    expect([scatter.width, scatter.height]).toEqual([512, 512 + 11]);
  });

  it('refuses a scale it cannot draw', () => {
    expect(() => writeSampleGrid(join(dir, 'x.png'), samples, 16, shape, { scale: 17 })).toThrow(SampleGridError);
    expect(() => writeSampleGrid(join(dir, 'x.png'), samples, 16, shape, { scale: 1.5 })).toThrow(/scale must be a whole number from 1 to 16, got 1.5/);
  });
});

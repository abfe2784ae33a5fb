// Pictures of generator samples, written as PNG: image samples tiled into a near-square grid, and 2-D
// samples (ring8, grid25) as a scatter plot on fixed axes so that pictures from different steps compare.
import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic-write.js';
import { UserError } from '../../errors.js';
import { forEachTextPixel, GLYPH_ADVANCE, GLYPH_HEIGHT, textWidth } from './bitmap-font.js';

export interface SampleGridOptions {
  /** Image grids: pixels between and around tiles (default 2). */
  padding?: number;
  /** Image grids: grey level 0..255 of the padding (default 128, visible against black and white digits). */
  paddingGrey?: number;
  /** Scatter plots: the axis range used for both x and y (default [-5, 5]). */
  range?: [number, number];
  /** Scatter plots: width and height in pixels (default 512). */
  sizePx?: number;
  /** Scatter plots: points of the real data, drawn behind the samples in another colour; [m*2] flat. */
  realPoints?: Float32Array;
  /** Nearest-neighbour upscaling of the whole picture by this whole factor (default 1). */
  scale?: number;
  /** Samples per row (default: a square grid); a conditional G's grid has one row per class. */
  columns?: number;
  /** A line of text (spec name, step) drawn in a white band above the picture, in a 5×7 bitmap font. */
  label?: string;
}

/** `--scale` beyond this makes pictures of hundreds of megabytes, not bigger digits. */
export const MAX_SCALE = 16;

export class SampleGridError extends UserError {}

type Rgb = [number, number, number];
/** Colours of the scatter plot (the report's caption names them: blue generated, orange real). */
export const GENERATED_COLOUR: Rgb = [31, 119, 180];
export const REAL_COLOUR: Rgb = [255, 127, 14];
const POINT_OPACITY = 0.55;
const POINT_RADIUS = 2;
const GRID_GREY = 232;
const AXIS_GREY = 170;

/**
 * Writes `n` samples as a PNG (atomically: the report may read it while training writes it).
 * `shape` is one sample's shape: [h, w, 1] or [h, w, 3] for images in [-1, 1] (NHWC), or [2] for points.
 */
export function writeSampleGrid(path: string, samples: Float32Array, n: number, shape: number[], options: SampleGridOptions = {}): void {
  const perSample = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || samples.length !== n * perSample) {
    throw new SampleGridError(`${path}: ${samples.length} values are not ${n} samples of shape [${shape}]`);
  }
  let image: Raster;
  if (shape.length === 1 && shape[0] === 2) image = renderScatter(samples, options);
  else if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) image = renderImageGrid(samples, n, shape, options);
  else throw new SampleGridError(`${path}: cannot draw samples of shape [${shape}]; expected [h, w, 1], [h, w, 3] or [2]`);
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new SampleGridError(`${path}: scale must be a whole number from 1 to ${MAX_SCALE}, got ${scale}`);
  }
  if (scale > 1) image = upscale(image, scale);
  if (options.label !== undefined) image = withLabel(image, options.label, scale);
  try {
    writeFileAtomic(path, encodePng(image));
  } catch (e) {
    // The path is the user's (`ganc sample --out`): a missing or read-only folder is theirs to fix.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new SampleGridError(`cannot write the sample grid (${code})`, { file: path });
  }
}

/** 8-bit pixels, rows top to bottom; grey (PNG colour type 0, 1 byte per pixel) or RGB (type 2, 3 bytes). */
interface Raster {
  width: number;
  height: number;
  colorType: 0 | 2;
  pixels: Buffer;
}

function renderImageGrid(samples: Float32Array, n: number, [h, w, channels]: number[], options: SampleGridOptions): Raster {
  const pad = options.padding ?? 2;
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / columns);
  const width = columns * w + (columns + 1) * pad;
  const height = rows * h + (rows + 1) * pad;
  const pixels = Buffer.alloc(width * height * channels, options.paddingGrey ?? 128);
  for (let s = 0; s < n; s++) {
    const left = pad + (s % columns) * (w + pad);
    const top = pad + Math.floor(s / columns) * (h + pad);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < channels; c++) {
          const value = samples[((s * h + y) * w + x) * channels + c];
          pixels[((top + y) * width + left + x) * channels + c] = toByte(value);
        }
      }
    }
  }
  return { width, height, colorType: channels === 1 ? 0 : 2, pixels };
}

/** [-1, 1] → 0..255; NaN shows as black rather than failing the picture. */
function toByte(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.round((Math.min(1, Math.max(-1, value)) + 1) * 127.5);
}

function renderScatter(points: Float32Array, options: SampleGridOptions): Raster {
  const size = options.sizePx ?? 512;
  const [low, high] = options.range ?? [-5, 5];
  const pixels = Buffer.alloc(size * size * 3, 255);
  const toPixel = (v: number) => Math.round(((v - low) / (high - low)) * (size - 1));
  const setGrey = (x: number, y: number, grey: number) => pixels.fill(grey, (y * size + x) * 3, (y * size + x) * 3 + 3);
  for (let tick = Math.ceil(low); tick <= high; tick++) {
    const grey = tick === 0 ? AXIS_GREY : GRID_GREY;
    const at = toPixel(tick);
    for (let i = 0; i < size; i++) {
      setGrey(at, i, grey);
      setGrey(i, size - 1 - at, grey);
    }
  }
  const drawPoints = (flat: Float32Array, colour: Rgb) => {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const x = toPixel(flat[i]);
      const y = size - 1 - toPixel(flat[i + 1]);
      if (Number.isNaN(x) || Number.isNaN(y)) continue;
      drawDot(pixels, size, x, y, colour);
    }
  };
  if (options.realPoints) drawPoints(options.realPoints, REAL_COLOUR);
  drawPoints(points, GENERATED_COLOUR);
  return { width: size, height: size, colorType: 2, pixels };
}

/** A small translucent disk, so dense regions read darker than single points. Off-canvas parts are clipped. */
function drawDot(pixels: Buffer, size: number, cx: number, cy: number, colour: Rgb): void {
  for (let dy = -POINT_RADIUS; dy <= POINT_RADIUS; dy++) {
    for (let dx = -POINT_RADIUS; dx <= POINT_RADIUS; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (dx * dx + dy * dy > POINT_RADIUS * POINT_RADIUS + 1 || x < 0 || y < 0 || x >= size || y >= size) continue;
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(pixels[at + c] * (1 - POINT_OPACITY) + colour[c] * POINT_OPACITY);
    }
  }
}

/** Each pixel becomes a factor × factor block: samples stay sharp where a viewer would blur them. */
function upscale({ width, height, colorType, pixels }: Raster, factor: number): Raster {
  const bytes = colorType === 0 ? 1 : 3;
  const out = Buffer.alloc(width * factor * height * factor * bytes);
  const rowBytes = width * factor * bytes;
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * factor * rowBytes, (y * factor + 1) * rowBytes);
    for (let x = 0; x < width; x++) {
      const pixel = pixels.subarray((y * width + x) * bytes, (y * width + x + 1) * bytes);
      for (let k = 0; k < factor; k++) pixel.copy(row, (x * factor + k) * bytes);
    }
    for (let k = 1; k < factor; k++) row.copy(out, (y * factor + k) * rowBytes);
  }
  return { width: width * factor, height: height * factor, colorType, pixels: out };
}

/** Font pixels per glyph pixel: the picture's scale (at most 4), less where the text would not fit. */
export function labelPixelSize(text: string, width: number, scale: number): number {
  let size = Math.max(1, Math.min(4, scale));
  while (size > 1 && textWidth(text) * size + 2 * LABEL_MARGIN * size > width) size--;
  return size;
}

const LABEL_MARGIN = 2;
const LABEL_INK = 0;
const LABEL_PAPER = 255;

/**
 * The picture below a white band holding `text` in black, left-aligned; text wider than the picture is cut
 * at the last whole character that fits.
 */
function withLabel(image: Raster, text: string, scale: number): Raster {
  const size = labelPixelSize(text, image.width, scale);
  const fits = Math.max(0, Math.floor((image.width - 2 * LABEL_MARGIN * size + size) / (GLYPH_ADVANCE * size)));
  const shown = text.slice(0, fits);
  const bytes = image.colorType === 0 ? 1 : 3;
  const band = (GLYPH_HEIGHT + 2 * LABEL_MARGIN) * size;
  const pixels = Buffer.alloc(image.width * (band + image.height) * bytes, LABEL_PAPER);
  image.pixels.copy(pixels, image.width * band * bytes);
  forEachTextPixel(shown, (fx, fy) => {
    for (let dy = 0; dy < size; dy++) {
      const y = (LABEL_MARGIN + fy) * size + dy;
      const x = (LABEL_MARGIN + fx) * size;
      pixels.fill(LABEL_INK, (y * image.width + x) * bytes, (y * image.width + x + size) * bytes);
    }
  });
  return { width: image.width, height: image.height + band, colorType: image.colorType, pixels };
}

/** The pixels are already in the output layout, so pngjs stores them without conversion. */
function encodePng({ width, height, colorType, pixels }: Raster): Buffer {
  const png = new PNG({ width, height });
  png.data = pixels;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false });
}

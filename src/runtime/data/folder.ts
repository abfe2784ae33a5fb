// `data folder "PATH" size N [channels 1|3] [flip]`: every PNG/JPEG under PATH (subfolders included, in sorted
// order), decoded with sharp: EXIF-rotated, transparency flattened onto black, scaled so that the shorter side
// is N and center-cropped to N×N (torchvision's Resize + CenterCrop), converted to grey or sRGB, scaled to
// [-1, 1]. Decoding is slow, so the decoded tensor is cached as a .safetensors file keyed by the folder's path,
// its files' names, sizes and mtimes, and the options; `fraction` and `flip` apply after the cache.
// With `labels from-subfolders`, each immediate subfolder of PATH is a class (in sorted order of the names,
// from 0) and every image under it has that class.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type { DataSpec } from '../../ir/ir.js';
import { encodeSafetensors, readSafetensors } from '../safetensors.js';
import type { Rng } from '../rng.js';
import {
  type Dataset, DataError, dataFolderPath, type LoadOptions, fractionSubset, imageTableNotices, sampleLength, selectRows,
} from './dataset.js';

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;
/** Bump when decoding changes, so that old caches are not reused. */
const CACHE_FORMAT = 1;
/** How many images sharp decodes at once (it runs them on libuv's thread pool). */
const DECODE_CONCURRENCY = 8;

export type Channels = 1 | 3;

export interface ImageFolderOptions {
  /** Crop to a square and resize to size×size; omitted: keep the images' own size, which must then all agree. */
  size?: number;
  channels: Channels;
}

export interface ImageTable {
  /** count × H × W × C, values in [-1, 1]. */
  images: Float32Array;
  /** [H, W, C] of one image. */
  shape: number[];
  count: number;
  /** Absolute paths of the images, in row order. */
  files: string[];
}

export interface CachedImageTable extends ImageTable {
  fromCache: boolean;
}

/** The decoded table (count × size × size × channels float32 values) may take at most this much memory. */
export const MAX_DECODED_BYTES = 4 * 2 ** 30;

const describeCode = (code: string | undefined): string =>
  code === 'ELOOP' ? 'a loop of symbolic links' : code === 'ENOENT' ? 'a symbolic link to nothing' : code === 'EACCES' ? 'permission denied' : code ?? 'error';

/**
 * Every image under `dir`, subfolders included, in sorted order. Symbolic links are followed (to files
 * and to folders) and what they lead to is checked like anything else: only regular files are images
 * (a FIFO named x.png would block the decoder), a link to nothing where an image would be is an error,
 * and a link back to a folder being listed is reported as the loop it is.
 */
function listImages(dir: string, display: string): string[] {
  const found: string[] = [];
  const fail = (path: string, why: string): never => {
    throw new DataError(`data folder "${display}": ${path}: ${why}`);
  };
  const visit = (folder: string, ancestors: string[]) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      let stats: Stats;
      try {
        stats = entry.isSymbolicLink() ? statSync(path) : lstatSync(path);
      } catch (error) {
        // A broken link is reported where it would have been an image (or is a loop); other names are not data.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP' || IMAGE_EXTENSION.test(entry.name)) fail(path, describeCode(code));
        continue;
      }
      if (stats.isDirectory()) {
        const real = realpathSync(path);
        if (ancestors.includes(real)) fail(path, `a loop of symbolic links (it leads back to ${real})`);
        visit(path, [...ancestors, real]);
      } else if (IMAGE_EXTENSION.test(entry.name)) {
        if (!stats.isFile()) fail(path, 'not a regular file');
        found.push(path);
      }
    }
  };
  visit(dir, [realpathSync(dir)]);
  return found;
}

function checkFolder(dir: string, display: string): string[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`data folder "${display}" not found (looked for ${dir})`);
    throw new DataError(`data folder "${display}": cannot open ${dir} (${describeCode(code)})`);
  }
  if (!isFolder) throw new DataError(`data folder "${display}" is not a folder (${dir})`);
  let files: string[];
  try {
    files = listImages(dir, display);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const { code, path } = error as NodeJS.ErrnoException;
    throw new DataError(`data folder "${display}": cannot list ${path ?? dir} (${code ?? 'error'})`);
  }
  if (files.length === 0) throw new DataError(`data folder "${display}" holds no .png/.jpg/.jpeg images (${dir})`);
  return files;
}

/**
 * The classes of a folder labelled from its subfolders: the names of PATH's immediate subfolders, in the
 * order the files are listed (sorted), and each file's class. Every image must lie in a subfolder, and
 * every subfolder must hold an image: a DataError names the path otherwise.
 */
export function subfolderLabels(dir: string, files: string[], display: string): { classes: string[]; labels: Uint8Array } {
  const where = `data folder "${display}" labels from-subfolders`;
  const classes: string[] = [];
  const labels = new Uint8Array(files.length);
  files.forEach((file, i) => {
    const parts = relative(dir, file).split(sep);
    if (parts.length < 2) {
      throw new DataError(`${where}: ${file} lies directly in the folder; every image must be in a subfolder named by its class`);
    }
    if (classes[classes.length - 1] !== parts[0]) classes.push(parts[0]);
    labels[i] = classes.length - 1;
  });
  // A subfolder without images would be a class with no data: the listing above never sees it.
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      continue; // what cannot be followed was reported by the listing where it matters
    }
    if (isFolder && !classes.includes(entry.name)) {
      throw new DataError(`${where}: subfolder ${path} holds no .png/.jpg/.jpeg images`);
    }
  }
  if (classes.length > MAX_FOLDER_CLASSES) {
    throw new DataError(`${where}: ${classes.length} subfolders, more than ${MAX_FOLDER_CLASSES} classes (${dir})`);
  }
  return { classes, labels };
}

/** A class is one byte per image. */
export const MAX_FOLDER_CLASSES = 256;

/** The classes of a labelled folder (for `ganc check`), or a DataError saying why it cannot be used. */
export function folderClasses(dir: string, display: string): string[] {
  return subfolderLabels(dir, checkFolder(dir, display), display).classes;
}

/** How many images a data folder holds, or a DataError saying why it cannot be used (for `ganc check`). */
export function folderImageCount(dir: string, display: string): number {
  return checkFolder(dir, display).length;
}

/** Refuses, before decoding, a folder whose decoded images would not fit MAX_DECODED_BYTES. */
function checkDecodedSize(count: number, { size, channels }: ImageFolderOptions, display: string): void {
  if (size === undefined) return;
  const bytes = count * size * size * channels * 4;
  if (bytes > MAX_DECODED_BYTES) {
    throw new DataError(`data folder "${display}": ${count} images at ${size}×${size}×${channels} take ${(bytes / 2 ** 30).toFixed(1)} GiB decoded, `
      + `more than the ${MAX_DECODED_BYTES / 2 ** 30} GiB limit: use a smaller size, or fewer images`);
  }
}

interface DecodedImage {
  file: string;
  pixels: Buffer;
  width: number;
  height: number;
}

async function decodeImage(file: string, { size, channels }: ImageFolderOptions): Promise<DecodedImage> {
  let pipeline = sharp(file).rotate().flatten({ background: '#000000' });
  if (size !== undefined) pipeline = pipeline.resize(size, size, { fit: 'cover', position: 'centre' });
  pipeline = channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded to ${info.channels} channels, expected ${channels}`);
    return { file, pixels: data, width: info.width, height: info.height };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new DataError(`${file}: cannot read image (${reason})`);
  }
}

async function decodeAll(files: string[], options: ImageFolderOptions): Promise<ImageTable> {
  const decoded: DecodedImage[] = [];
  for (let start = 0; start < files.length; start += DECODE_CONCURRENCY) {
    const chunk = files.slice(start, start + DECODE_CONCURRENCY);
    decoded.push(...(await Promise.all(chunk.map((file) => decodeImage(file, options)))));
  }
  const first = decoded[0];
  for (const image of decoded) {
    if (image.width !== first.width || image.height !== first.height) {
      throw new DataError(
        `${image.file}: ${image.width}×${image.height} differs from ${first.file} (${first.width}×${first.height}); ` +
          'give `size N` to resize all images');
    }
  }
  const shape = [first.height, first.width, options.channels];
  const length = sampleLength(shape);
  const images = new Float32Array(decoded.length * length);
  decoded.forEach((image, row) => {
    for (let i = 0; i < length; i++) images[row * length + i] = image.pixels[i] / 127.5 - 1;
  });
  return { images, shape, count: decoded.length, files };
}

function cacheKey(dir: string, files: string[], options: ImageFolderOptions): string {
  const listing = files.map((file) => {
    const { size, mtimeMs } = statSync(file);
    return [relative(dir, file), size, mtimeMs];
  });
  const description = JSON.stringify({ format: CACHE_FORMAT, dir, size: options.size ?? null, channels: options.channels, listing });
  return createHash('sha256').update(description).digest('hex').slice(0, 32);
}

function readCache(path: string, files: string[]): ImageTable | undefined {
  try {
    const { images } = readSafetensors(path).tensors;
    const [count, ...shape] = images.shape;
    return count === files.length ? { images: images.data, shape, count, files } : undefined;
  } catch {
    return undefined; // missing or damaged cache: decode again
  }
}

/** Write then rename, so that an interrupted run never leaves a truncated cache behind. */
function writeCache(path: string, table: ImageTable, dir: string): void {
  const partial = `${path}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, encodeSafetensors({ images: { shape: [table.count, ...table.shape], data: table.images } }, { dir }));
    renameSync(partial, path);
  } catch {
    rmSync(partial, { force: true }); // an unwritable cache only costs the next run the decoding time
  }
}

/**
 * Decodes every image of a folder, or reuses the tensor cached under cacheDir (null: no cache).
 * `display` is the folder as the user wrote it, for messages.
 */
export async function readImageFolder(
  dir: string, options: ImageFolderOptions, cacheDir: string | null, display = dir,
): Promise<CachedImageTable> {
  const files = checkFolder(dir, display);
  checkDecodedSize(files.length, options, display);
  if (cacheDir === null) return { ...(await decodeAll(files, options)), fromCache: false };
  const cachePath = join(cacheDir, `folder-${cacheKey(dir, files, options)}.safetensors`);
  const cached = readCache(cachePath, files);
  if (cached) return { ...cached, fromCache: true };
  const table = await decodeAll(files, options);
  writeCache(cachePath, table, dir);
  return { ...table, fromCache: false };
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ganc');
}

/** Mirrors one NHWC image left to right, in place. */
function flipRow(row: Float32Array, [height, width, channels]: number[]): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width >> 1; x++) {
      const left = (y * width + x) * channels;
      const right = (y * width + (width - 1 - x)) * channels;
      for (let c = 0; c < channels; c++) {
        const tmp = row[left + c];
        row[left + c] = row[right + c];
        row[right + c] = tmp;
      }
    }
  }
}

export async function folderDataset(spec: DataSpec, { seed, specDir, cacheDir, onNotice }: LoadOptions): Promise<Dataset> {
  if (spec.path === undefined) throw new DataError('data folder: no path given');
  const [size, , channels] = spec.shape;
  if (channels !== 1 && channels !== 3) throw new DataError(`data folder "${spec.path}": channels must be 1 or 3, got ${channels}`);
  const dir = dataFolderPath(spec.path, specDir);
  // Labels first: a folder laid out wrongly fails before anything is decoded.
  const labelled = spec.labels === true ? subfolderLabels(dir, checkFolder(dir, spec.path), spec.path) : undefined;
  const table = await readImageFolder(dir, { size, channels }, cacheDir ?? defaultCacheDir(), spec.path);
  const length = sampleLength(table.shape);
  const kept = fractionSubset(table.count, spec.fraction, seed);
  for (const line of imageTableNotices(`data folder "${spec.path}"`, table.count, kept.length, table.shape, spec)) onNotice?.(line);
  if (labelled) onNotice?.(`${labelled.classes.length} classes from subfolders: ${labelled.classes.join(', ')}`);
  const rows = selectRows(table.images, length, kept);
  const rowLabels = labelled && Uint8Array.from(kept, (row) => labelled.labels[row]);
  const flip = spec.flip === true;
  const draw = (rng: Rng, n: number, picked?: Int32Array): Float32Array => {
    const out = new Float32Array(n * length);
    for (let i = 0; i < n; i++) {
      const row = rng.int(kept.length);
      if (picked) picked[i] = rowLabels![row];
      const sample = out.subarray(i * length, (i + 1) * length);
      sample.set(rows.subarray(row * length, (row + 1) * length));
      if (flip && rng.uniform() < 0.5) flipRow(sample, table.shape);
    }
    return out;
  };
  return {
    shape: table.shape,
    size: kept.length,
    name: `folder "${spec.path}" (${kept.length} of ${table.count} images, ${table.shape.join('×')}${flip ? ', flip' : ''})`,
    batch: (rng, n) => draw(rng, n),
    ...(labelled ? {
      classes: labelled.classes,
      labelledBatch(rng: Rng, n: number) {
        const picked = new Int32Array(n);
        return { images: draw(rng, n, picked), labels: picked };
      },
    } : {}),
  };
}

// What a data folder's listing follows and refuses: symbolic links to images and to folders are followed
// (they were skipped), what they lead to is checked (a link to nothing where an image would be, a FIFO
// named like an image, a link back to a folder being listed), and a folder whose decoded images could
// not fit in memory is refused before a single image is decoded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, readImageFolder } from '../../../src/runtime/data/index.js';
import { MAX_DECODED_BYTES, type ImageFolderOptions } from '../../../src/runtime/data/folder.js';

let root: string;

async function png(path: string, grey: number): Promise<void> {
  await sharp(Buffer.alloc(4 * 4, grey), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(path);
}

/** A folder under root with these entries made by `make`. */
function folder(name: string, make: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  make(dir);
  return dir;
}

async function refusal(dir: string, options: ImageFolderOptions = { size: 4, channels: 1 }): Promise<string> {
  const error = await readImageFolder(dir, options, null, dir).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).not.toContain('\n');
  return (error as Error).message;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ganc-folder-links-'));
  mkdirSync(join(root, 'elsewhere'));
  await png(join(root, 'elsewhere', 'outside.png'), 200);
  mkdirSync(join(root, 'elsewhere', 'more'));
  await png(join(root, 'elsewhere', 'more', 'deep.png'), 50);
});

describe('data folder listing', () => {
  it('follows symbolic links to image files and to folders', async () => {
    const dir = folder('linked', (d) => {
      symlinkSync(join(root, 'elsewhere', 'outside.png'), join(d, 'a.png'));
      symlinkSync(join(root, 'elsewhere', 'more'), join(d, 'sub'));
    });
    await png(join(dir, 'b.png'), 100);
    const table = await readImageFolder(dir, { size: 4, channels: 1 }, null);
    expect(table.files).toEqual([join(dir, 'a.png'), join(dir, 'b.png'), join(dir, 'sub', 'deep.png')]);
    // Each row is its image: 200, 100 and 50 grey scaled to [-1, 1].
    expect([table.images[0], table.images[16], table.images[32]].map((v) => Math.round((v + 1) * 127.5))).toEqual([200, 100, 50]);
  });

  it('reports a link to nothing where an image would be, and passes over other broken links', async () => {
    const dir = folder('dangling', (d) => {
      symlinkSync(join(root, 'no-such.png'), join(d, 'gone.png'));
      symlinkSync(join(root, 'no-such.txt'), join(d, 'notes.txt'));
    });
    expect(await refusal(dir)).toBe(`data folder "${dir}": ${join(dir, 'gone.png')}: a symbolic link to nothing`);
    const other = folder('dangling-other', (d) => symlinkSync(join(root, 'no-such.txt'), join(d, 'notes.txt')));
    await png(join(other, 'ok.png'), 1);
    expect((await readImageFolder(other, { size: 4, channels: 1 }, null)).count).toBe(1);
  });

  it('reports a link back to a folder being listed as a loop', async () => {
    const dir = folder('looping', (d) => {
      mkdirSync(join(d, 'sub'));
      symlinkSync('..', join(d, 'sub', 'up'));
    });
    expect(await refusal(dir)).toBe(`data folder "${dir}": ${join(dir, 'sub', 'up')}: a loop of symbolic links (it leads back to ${dir})`);
  });

  it('reports a data folder that is a symlink loop as one, not as missing', async () => {
    const loop = join(root, 'self');
    symlinkSync(loop, loop);
    expect(await refusal(loop)).toBe(`data folder "${loop}": cannot open ${loop} (a loop of symbolic links)`);
    expect(await refusal(join(root, 'absent'))).toBe(`data folder "${join(root, 'absent')}" not found (looked for ${join(root, 'absent')})`);
  });

  it('refuses an image name that is not a regular file (a FIFO would block the decoder)', async () => {
    const dir = folder('fifo', (d) => execFileSync('mkfifo', [join(d, 'x.png')]));
    expect(await refusal(dir)).toBe(`data folder "${dir}": ${join(dir, 'x.png')}: not a regular file`);
  });

  it('refuses, before decoding, more images than fit the decoded-size limit', async () => {
    const perImage = 1024 * 1024 * 3 * 4;
    const count = Math.floor(MAX_DECODED_BYTES / perImage) + 1;
    // Not images at all: decoding would fail on the first, so a refusal naming the size proves none was decoded.
    const dir = folder('too-many', (d) => { for (let i = 0; i < count; i++) writeFileSync(join(d, `${i}.png`), 'x'); });
    const started = performance.now();
    const message = await refusal(dir, { size: 1024, channels: 3 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(message).toBe(`data folder "${dir}": ${count} images at 1024×1024×3 take 4.0 GiB decoded, more than the 4 GiB limit: use a smaller size, or fewer images`);
  });
});

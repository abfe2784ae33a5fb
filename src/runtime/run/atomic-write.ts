// Replace a file so that a reader (or a process killed at any instruction) sees either the old
// content or the new, never a mix: write a temporary sibling, fsync it, rename it over the target,
// then fsync the directory so the rename itself survives a power loss. A refusal by the operating
// system (disk full, read-only, permission, a folder in the way) is a FileError naming the target.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { asFileError } from '../../files.js';

/** Suffix of in-flight temporary files; anything carrying it is garbage left by a killed writer. */
export const TEMP_SUFFIX = '.tmp';

export function writeFileAtomic(path: string, data: Buffer | string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}${TEMP_SUFFIX}`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself may be gone or unwritable: the write's own error is the one to report.
    }
    throw asFileError(e, path, 'write');
  }
  try {
    fsyncDirectory(dirname(path));
  } catch (e) {
    throw asFileError(e, path, 'write');
  }
}

/** writeSync may write fewer bytes than asked; loop until the whole buffer is in the kernel. */
export function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Reading the files a user hands ganc (specs, checkpoints, safetensors, run files) without trusting
// them, and turning the operating system's refusals into one-line user errors that name the path.
// A path may name /dev/zero, a FIFO or a 50 GB file: reads here open it without blocking, refuse
// anything but a regular file, and know its size before allocating a byte. Like errors.ts this file
// sits above parser, compiler, runtime, search and cli, so it imports only errors.ts.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from './errors.js';

/** A file or folder the operating system refused (missing, unreadable, disk full, ...), or one that is not a regular file. */
export class FileError extends UserError {
  /** The errno code (ENOSPC, EACCES, ...) when the operating system refused; undefined for ganc's own refusals. */
  readonly code?: string;

  constructor(message: string, path: string, code?: string) {
    super(message, { file: path });
    this.code = code;
  }
}

/** What each errno means to a person; the code itself follows in parentheses. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'a name in the path is too long',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'a loop of symbolic links',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EFBIG: 'file too large',
};

/** `no space left on the device (ENOSPC)`; the error's own message for an unknown code. */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

/** True for an error thrown by a file-system call (it carries an errno code such as ENOENT). */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined;
}

/**
 * Runs a file-system action; an OS refusal becomes a FileError `PATH: cannot DOING: REASON (CODE)`.
 * Anything else (a UserError from inside, a bug) passes through unchanged.
 */
export function withFileErrors<T>(path: string, doing: string, action: () => T): T {
  try {
    return action();
  } catch (e) {
    throw asFileError(e, path, doing);
  }
}

/** The FileError for an OS error, else the error itself. */
export function asFileError(e: unknown, path: string, doing: string): unknown {
  if (!isOsError(e)) return e;
  return new FileError(`cannot ${doing}: ${osReason(e)}`, path, e.code);
}

const KIND_OF_FILE: [(s: import('node:fs').Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isFIFO(), 'a named pipe'],
  [(s) => s.isSocket(), 'a socket'],
];

export interface OpenedFile {
  fd: number;
  size: number;
}

/**
 * Opens a regular file for reading: O_NONBLOCK, so that a named pipe with no writer cannot block the
 * open, then fstat on the open descriptor (no race with a rename), and refuse anything that is not a
 * regular file. The caller closes `fd`.
 */
export function openRegularFile(path: string, what = 'file'): OpenedFile {
  const fd = withFileErrors(path, `read the ${what}`, () => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = KIND_OF_FILE.find(([test]) => test(stats))?.[1] ?? 'not a regular file';
      throw new FileError(`cannot read the ${what}: it is ${kind}, not a regular file`, path);
    }
    return { fd, size: stats.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Reads `length` bytes at `position`; a file that shrinks meanwhile is an error, not a short buffer. */
export function readExactly(fd: number, path: string, position: number, length: number, what = 'file'): Buffer {
  const out = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = withFileErrors(path, `read the ${what}`, () => readSync(fd, out, done, length - done, position + done));
    if (n === 0) throw new FileError(`cannot read the ${what}: it ended after ${position + done} bytes (changed while being read?)`, path);
    done += n;
  }
  return out;
}

/**
 * A whole regular file of at most `maxBytes`, read after its size is known: a device, a pipe, a folder
 * or an oversized file is refused before anything is allocated.
 */
export function readRegularFile(path: string, maxBytes: number, what = 'file'): Buffer {
  const { fd, size } = openRegularFile(path, what);
  try {
    if (size > maxBytes) throw new FileError(`cannot read the ${what}: it is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} a ${what} may be`, path);
    return readExactly(fd, path, 0, size, what);
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` as UTF-8 text. */
export function readRegularTextFile(path: string, maxBytes: number, what = 'file'): string {
  return readRegularFile(path, maxBytes, what).toString('utf8');
}

/** 1536 → `1.5 KiB`; 3 × 2³⁰ → `3 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${Number.isInteger(value) ? value : value.toPrecision(3)} ${units[unit]}`;
}

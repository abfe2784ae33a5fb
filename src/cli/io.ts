// What a command writes to and how it fails. A UserError (../errors.ts) is the user's to fix: main prints
// its one-line message and exits 1. Anything else escaping a command is a bug: one line, exit code 2.
import { UserError } from '../errors.js';
import { FileError, readRegularTextFile } from '../files.js';
import { MAX_SOURCE_CHARS } from '../parser/limits.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** The command's exit code; commands set it, main returns it. */
  exitCode: number;
}

export const processIO = (): CliIO => ({
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  exitCode: 0,
});

/**
 * A spec file's text, or a UserError naming the file and why it cannot be read. Only a regular file
 * of at most MAX_SOURCE_CHARS bytes is read (a spec that is /dev/zero or 5 MB is refused at once); the
 * parser holds the text to the same number of characters.
 */
export async function readSpec(file: string): Promise<string> {
  try {
    return readRegularTextFile(file, MAX_SOURCE_CHARS, 'spec');
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    throw e.code === 'ENOENT' ? new UserError('cannot read: no such file', { file }) : e;
  }
}

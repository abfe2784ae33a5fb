// What a command writes to and how it fails. A UserError (../errors.ts) is the user's to fix: main prints
// its one-line message and exits 1. Anything else escaping a command is a bug: one line, exit code 2.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

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

/** A spec file's text, or a UserError naming the file and why it cannot be read. */
export async function readSpec(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UserError(`cannot read: ${why}`, { file });
  }
}

// Test helper: the ganc CLI in this process, with its output captured.
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export async function ganc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; }, exitCode: 0 };
  const code = await main(['node', 'ganc', ...args], io);
  return { code, out, err };
}

/** Budget flags that keep a ring8 trial to a few seconds. */
export const TINY_BUDGET = ['--min-steps', '5', '--max-steps', '15', '--seeds', '2', '--batch', '32', '--eval-samples', '200'];

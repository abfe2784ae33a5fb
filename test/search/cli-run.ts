// Test helper: the ganc CLI in this process, with its output captured.
import { runMain } from '../cli/in-process.js';

export async function ganc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { status, stdout, stderr } = await runMain(...args);
  return { code: status, out: stdout, err: stderr };
}

/** Budget flags that keep a ring8 trial to a few seconds. */
export const TINY_BUDGET = ['--min-steps', '5', '--max-steps', '15', '--seeds', '2', '--batch', '32', '--eval-samples', '200'];

// Test helper: ganc CLI child processes from the TypeScript sources, and waiting on files and output.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** Tests that train in several processes on a shared 2-core machine can take minutes. */
export const PROCESS_TEST_TIMEOUT_MS = 300_000;

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = join(import.meta.dirname, 'ganc-cli.ts');

export interface CliProcess {
  child: ChildProcess;
  /** Every line the process wrote, stdout and stderr together. */
  lines: string[];
}

export function spawnGanc(args: string[]): CliProcess {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (l) => lines.push(l));
  return { child, lines };
}

/** One ganc process run to its end: its exit code and what it wrote to each stream. */
export function runGancProcess(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

// Test helpers for the queue's trust line: ganc processes with their own environment and working
// folder, hand-made jobs, small image folders, and snapshots of a folder tree to prove nothing changed.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import type { CliProcess } from '../helpers/cli-processes.js';
import type { Trial } from '../../src/search/trial.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = join(import.meta.dirname, '..', 'helpers', 'ganc-cli.ts');

/** A ganc child process from the sources, with `env` on top of this process's environment and its own cwd. */
export function spawnGancWith(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: opts.cwd,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (l) => lines.push(l));
  return { child, lines };
}

/** Runs a ganc child to its end. */
export async function runGancWith(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number | null; lines: string[]; seconds: number }> {
  const started = Date.now();
  const p = spawnGancWith(args, opts);
  const code = await new Promise<number | null>((resolve) => p.child.once('close', (c) => resolve(c)));
  return { code, lines: p.lines, seconds: (Date.now() - started) / 1000 };
}

/** A ring8 spec small enough that a five-step trial takes a moment. */
export const TINY_RING8 = `gan tiny_ring8
data ring8 batch 32
latent normal 2
generator
  dense 16
  relu
  dense 2
discriminator
  dense 16
  lrelu 0.2
  dense 1
loss nonsaturating
reg 0.1 * r1
`;

/** The same model on 8×8 grey images from a folder. */
export const folderSpec = (folder: string): string => TINY_RING8
  .replace('data ring8 batch 32', `data folder "${folder}" size 8 channels 1 batch 2`)
  .replace('  dense 2\ndiscriminator\n', '  dense 64\n  reshape 8 8 1\ndiscriminator\n  flatten\n');

export function writeImageFolder(dir: string, count = 4): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const png = new PNG({ width: 8, height: 8 });
    for (let p = 0; p < 64; p++) png.data.set([20 * i + 3 * p, 20 * i + 3 * p, 20 * i + 3 * p, 255], 4 * p);
    writeFileSync(join(dir, `${i}.png`), PNG.sync.write(png));
  }
  return dir;
}

/** A trial as the coordinator would make it, with `over` changed (the id follows steps and seed unless given). */
export function trialOf(specText: string, specFile: string, over: Partial<Trial> = {}): Trial {
  const steps = over.steps ?? 5;
  const seed = over.seed ?? 0;
  const variantId = over.variantId ?? 'v001';
  return { id: `${variantId}.s${steps}.seed${seed}`, variantId, rung: 0, steps, seed, specText, specFile, evalSamples: 20, ...over };
}

/** Every entry under `root` (paths relative to it) with its kind, size and modification time, except under `skip`. */
export function snapshot(root: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      if (skip.includes(relPath)) continue;
      const st = lstatSync(path);
      out.set(relPath, `${st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file'} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) visit(path, relPath);
    }
  };
  visit(root, '');
  return out;
}

/** Every file under `root` whose bytes contain `needle`. */
export function filesContaining(root: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && readFileSync(path).includes(bytes)) found.push(path);
    }
  };
  visit(root);
  return found;
}

/** C0/C1 controls other than the line break, DEL, and the bidi overrides: what must never reach a terminal raw. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Polls an async probe until it gives a value. */
export async function waitForAsync<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The benchmark's specs: the DCGAN-MNIST family (batch 64) of issue 4 and the cheap ring8 MLP. WGAN-GP
// runs with ndis 1 so that one iteration is one D step and one G step, as DESIGN.md's PyTorch figures.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource, type GanIR } from '../src/compiler/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface BenchSpec {
  /** Spec file, relative to the repository root. */
  file: string;
  /** Replaces the spec's `train ndis`. */
  ndis?: number;
  /** An iteration costs seconds on stock tfjs backends: those run it only when asked, and briefly. */
  heavy: boolean;
}

export const BENCH_SPECS: Record<string, BenchSpec> = {
  wgan: { file: 'bench/specs/wgan.gan', heavy: true },
  'wgan-gp': { file: 'specs/wgan-gp.gan', ndis: 1, heavy: true },
  sngan: { file: 'specs/sngan.gan', heavy: true },
  pgn: { file: 'specs/pgn.gan', heavy: true },
  ring8: { file: 'specs/ring8.gan', heavy: false },
};

export const DCGAN_MNIST_SPECS = ['wgan', 'wgan-gp', 'sngan', 'pgn'];

export function benchSpecNames(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(name in BENCH_SPECS)) throw new Error(`unknown bench spec '${name}'; expected one of ${Object.keys(BENCH_SPECS).join(', ')}`);
  }
  return names;
}

/** The checked IR of a bench spec, with its benchmark overrides applied. */
export function benchIR(name: string): { ir: GanIR; specDir: string } {
  const spec = BENCH_SPECS[name];
  const path = join(ROOT, spec.file);
  const { ir, diagnostics } = compileSource(readFileSync(path, 'utf8'), path);
  if (!ir || diagnostics.length > 0) throw new Error(`${spec.file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  if (spec.ndis !== undefined) ir.train.ndis = spec.ndis;
  return { ir, specDir: dirname(path) };
}

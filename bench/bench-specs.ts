// The benchmark's specs: the DCGAN-MNIST family (batch 64) of issue 4, the cheap ring8 MLP and SNGAN's
// CIFAR-10 ResNet. WGAN-GP and the ResNet run with ndis 1 so that one iteration is one D step and one G step,
// as DESIGN.md's PyTorch figures. A variant (batch, width) is made without editing a spec file: the batch
// through ganc's own `--set` override, the width by scaling every hidden layer's size in the spec's AST.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource, type GanIR } from '../src/compiler/index.js';
import { applyOverrides } from '../src/compiler/overrides.js';
import { parse, print, type Expression, type Layer } from '../src/parser/index.js';
import { tableDataset, type Dataset } from '../src/runtime/data/dataset.js';
import { loadDataset } from '../src/runtime/data/index.js';
import { Rng } from '../src/runtime/rng.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface BenchSpec {
  /** Spec file, relative to the repository root. */
  file: string;
  /** Replaces the spec's `train ndis`. */
  ndis?: number;
  /** Replaces the spec's batch size. */
  batch?: number;
  /** An iteration costs seconds on stock tfjs backends: those run it only when asked, and briefly. */
  heavy: boolean;
  /** Seconds per iteration even on ganc: left out of the default lists unless a command names it. */
  long?: boolean;
  /**
   * The data set is not installed on benchmark machines (CIFAR-10): both sides draw from STAND_IN_IMAGES random
   * images of the spec's shape instead. What the pixels are does not change what an iteration costs.
   */
  standIn?: number[];
}

export const BENCH_SPECS: Record<string, BenchSpec> = {
  wgan: { file: 'bench/specs/wgan.gan', heavy: true },
  'wgan-gp': { file: 'specs/wgan-gp.gan', ndis: 1, heavy: true },
  sngan: { file: 'specs/sngan.gan', heavy: true },
  pgn: { file: 'specs/pgn.gan', heavy: true },
  ring8: { file: 'specs/ring8.gan', heavy: false },
  // SNGAN's CIFAR-10 ResNet (G: 3 up blocks of 256, D: 4 blocks of 128): ~0.2 TFLOP per iteration at batch 16.
  'sngan-resnet': { file: 'specs/sngan-cifar-resnet.gan', ndis: 1, batch: 16, heavy: true, long: true, standIn: [32, 32, 3] },
};

export const DCGAN_MNIST_SPECS = ['wgan', 'wgan-gp', 'sngan', 'pgn'];
/** bench:peer's default set: every spec bench/torch_peer.py has a peer for but the ring8 toy. */
export const PEER_SPECS = [...DCGAN_MNIST_SPECS, 'sngan-resnet'];
/** How many random images stand in for a data set that is not installed (torch_peer.py draws as many). */
export const STAND_IN_IMAGES = 512;

export function benchSpecNames(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(name in BENCH_SPECS)) throw new Error(`unknown bench spec '${name}'; expected one of ${Object.keys(BENCH_SPECS).join(', ')}`);
  }
  return names;
}

/** Changes of a bench spec for one measurement: the batch size and a factor on every hidden layer's width. */
export interface BenchVariant {
  batch?: number;
  width?: number;
}

/** The layers whose first (resblock: second) argument is a size, and where that argument sits. */
const SIZE_ARGUMENT: Record<string, number> = { dense: 0, conv: 0, deconv: 0, resblock: 1 };

const times = (e: Expression, factor: number): Expression =>
  ({ kind: 'Binary', op: '*', left: e, right: { kind: 'Number', value: factor, raw: String(factor), loc: e.loc }, loc: e.loc });

/**
 * `text` with every hidden layer `factor` times as wide: the size of each dense, conv, deconv and resblock and the
 * channels of each reshape, except each network's last sized layer (G's image channels, D's score). A dense that
 * feeds a reshape grows by the factor as a whole (`dense 7*7*128` → `7*7*128 * 2`, `reshape 7 7 128 * 2`).
 */
export function scaleWidth(text: string, file: string, factor: number): string {
  if (factor === 1) return text;
  if (!(Number.isInteger(factor) && factor > 0)) throw new Error(`width factor must be a positive integer, got ${factor}`);
  const { ast, diagnostics } = parse(text, file);
  if (diagnostics.length > 0) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  for (const statement of ast.statements) {
    if (statement.kind !== 'Network') continue;
    const sized = statement.layers.filter((l) => l.name.name in SIZE_ARGUMENT);
    const output: Layer | undefined = sized.at(-1);
    for (const layer of statement.layers) {
      const name = layer.name.name;
      if (layer === output) continue;
      const at = name === 'reshape' ? layer.args.length - 1 : SIZE_ARGUMENT[name];
      if (at === undefined || at < 0 || !layer.args[at]) continue;
      layer.args[at] = times(layer.args[at], factor);
    }
  }
  return print(ast);
}

/** The spec text a benchmark trains: the file with the bench's and the variant's changes written in. */
export function benchSpecText(name: string, variant: BenchVariant = {}): { text: string; path: string } {
  const spec = BENCH_SPECS[name];
  if (!spec) throw new Error(`unknown bench spec '${name}'`);
  const path = join(ROOT, spec.file);
  let text = scaleWidth(readFileSync(path, 'utf8'), path, variant.width ?? 1);
  const batch = variant.batch ?? spec.batch;
  const overrides = [
    ...(batch !== undefined ? [{ label: '--batch', text: `data batch ${batch}` }] : []),
    ...(spec.ndis !== undefined ? [{ label: 'bench ndis', text: `train ndis ${spec.ndis}` }] : []),
  ];
  if (overrides.length > 0) text = applyOverrides(text, path, overrides).text;
  return { text, path };
}

/** The checked IR of a bench spec, with its benchmark overrides and the variant applied. */
export function benchIR(name: string, variant: BenchVariant = {}): { ir: GanIR; specDir: string } {
  const { text, path } = benchSpecText(name, variant);
  const { ir, diagnostics } = compileSource(text, path);
  if (!ir || diagnostics.length > 0) throw new Error(`${BENCH_SPECS[name].file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return { ir, specDir: dirname(path) };
}

/** The data a bench spec trains on: its own, or random images in [-1, 1] where it stands in (`standIn`). */
export async function benchDataset(name: string, ir: GanIR, specDir: string): Promise<Dataset> {
  const shape = BENCH_SPECS[name].standIn;
  if (!shape) return loadDataset(ir.data, { seed: 0, specDir });
  const rows = Rng.fromSeed(0).fillUniform(new Float32Array(STAND_IN_IMAGES * shape.reduce((a, b) => a * b, 1)), -1, 1);
  return tableDataset(`${STAND_IN_IMAGES} random ${shape.join('x')} images (stand-in for ${ir.data.kind})`, shape, rows);
}

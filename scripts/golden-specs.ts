// The golden IR files: one per spec, test/golden/<spec name>.ir.json, holding the checker's output.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../src/compiler/index.js';
import type { GanIR } from '../src/ir/ir.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SPECS_DIR = join(root, 'specs');
export const GOLDEN_DIR = join(root, 'test', 'golden');

export const specFiles = (): string[] =>
  readdirSync(SPECS_DIR).filter((f) => f.endsWith('.gan')).sort().map((f) => join(SPECS_DIR, f));

export const goldenPath = (spec: string): string => join(GOLDEN_DIR, `${basename(spec, '.gan')}.ir.json`);

/** The spec's IR as the golden file holds it; the file name is given relative to the repository. */
export function compileSpec(spec: string): { ir?: GanIR; messages: string[] } {
  const { ir, diagnostics } = compileSource(readFileSync(spec, 'utf8'), `specs/${basename(spec)}`);
  return { ir, messages: diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`) };
}

export const goldenText = (ir: GanIR): string => `${JSON.stringify(ir, null, 2)}\n`;

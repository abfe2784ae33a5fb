// Test helper: a spec (file or text) → its checked IR, failing loudly on diagnostics.
import { readFileSync } from 'node:fs';
import { compileSource } from '../../../src/compiler/index.js';
import type { GanIR } from '../../../src/ir/ir.js';

export function compileSpecText(text: string, file = 'test.gan'): GanIR {
  const { ir, diagnostics } = compileSource(text, file);
  if (!ir || diagnostics.length > 0) throw new Error(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  return ir;
}

export function compileSpecFile(path: string): GanIR {
  return compileSpecText(readFileSync(path, 'utf8'), path);
}

/** The spec with its data batch, steps and seed replaced (tests train small and short). */
export function withTraining(ir: GanIR, settings: { batch?: number; steps?: number; seed?: number }): GanIR {
  const copy = structuredClone(ir);
  if (settings.batch !== undefined) copy.data.batch = settings.batch;
  if (settings.steps !== undefined) copy.train.steps = settings.steps;
  if (settings.seed !== undefined) copy.train.seed = settings.seed;
  return copy;
}

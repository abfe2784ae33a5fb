// The search's one door to the front end: a spec text → its checked IR, or an error that lists every
// diagnostic as file:line:col.
import type { GanIR } from '../ir/ir.js';
import { compileSource } from '../compiler/index.js';
import { SpecDiagnosticsError } from '../errors.js';
import { formatDiagnostic } from '../parser/index.js';

export function checkSpecText(text: string, file: string): GanIR {
  const { ir, diagnostics } = compileSource(text, file);
  if (!ir || diagnostics.length > 0) {
    throw new SpecDiagnosticsError(file, diagnostics, diagnostics.map((d) => formatDiagnostic(d, text)).join('\n'));
  }
  return ir;
}

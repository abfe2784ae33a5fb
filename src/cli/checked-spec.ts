// A spec file read and checked for a command that goes on to use its IR: diagnostics become a
// SpecDiagnosticsError carrying every formatted diagnostic (file:line:col, the line, a caret).
import { compileSource } from '../compiler/index.js';
import type { GanIR } from '../ir/ir.js';
import { SpecDiagnosticsError } from '../errors.js';
import { readSpec } from './io.js';
import { formatDiagnostics } from './report-diagnostics.js';

export interface CheckedSpec {
  file: string;
  text: string;
  ir: GanIR;
}

export async function checkedSpec(file: string): Promise<CheckedSpec> {
  const text = await readSpec(file);
  const { ir, diagnostics } = compileSource(text, file);
  if (!ir || diagnostics.length > 0) throw new SpecDiagnosticsError(file, diagnostics, formatDiagnostics(diagnostics, text));
  return { file, text, ir };
}

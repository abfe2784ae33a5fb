// A spec file read and checked for a command that goes on to use its IR: diagnostics become a
// SpecDiagnosticsError carrying every formatted diagnostic (file:line:col, the line, a caret). With
// overrides (`ganc train --set ...`), `text` is the spec with them written in, and a problem they cause
// is an OverrideError naming the override (src/compiler/overrides.ts).
import type { CheckOptions } from '../compiler/index.js';
import { checkWithOverrides, type Override } from '../compiler/overrides.js';
import type { GanIR } from '../ir/ir.js';
import { SpecDiagnosticsError } from '../errors.js';
import { readSpec } from './io.js';
import { formatDiagnostics } from './report-diagnostics.js';

export interface CheckedSpec {
  file: string;
  text: string;
  ir: GanIR;
}

export async function checkedSpec(file: string, overrides: readonly Override[] = [], options: CheckOptions = {}): Promise<CheckedSpec> {
  const source = await readSpec(file);
  const { ir, diagnostics, text } = checkWithOverrides(source, file, overrides, options);
  if (!ir) throw new SpecDiagnosticsError(file, diagnostics, formatDiagnostics(diagnostics, text));
  return { file, text, ir };
}

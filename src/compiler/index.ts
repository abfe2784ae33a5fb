// The compiler's entry points: check an AST, or parse and check a source text in one call.
import { parse } from '../parser/index.js';
import { check, type CheckResult } from './check.js';
import type { CheckOptions } from './context.js';

export { check, type CheckResult } from './check.js';
export type { CheckOptions } from './context.js';
export type { GanIR } from '../ir/ir.js';

/** Syntax errors stop here: checking a partial AST would only add noise. */
export function compileSource(text: string, file: string, options: CheckOptions = {}): CheckResult {
  const parsed = parse(text, file);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  return check(parsed.ast, file, options);
}

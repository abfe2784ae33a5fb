// Writing a variant spec: the original text with one `reg` statement's lines replaced (or removed), so
// everything else — comments, `let` constants, layout — stays as the author wrote it.
import { parse, type RegStatement } from '../parser/index.js';

/** The `reg` statements of a spec in source order; `--reg N` counts from 1 in this list. */
export function regStatements(text: string, file: string): RegStatement[] {
  return parse(text, file).ast.statements.filter((s): s is RegStatement => s.kind === 'Reg');
}

/**
 * The text with the lines of the `index`-th (0-based) reg statement replaced by `replacement` (one
 * or more lines, no final newline). The statement's own end-of-line comment goes with it: it described
 * the old formula.
 */
export function replaceRegLines(text: string, file: string, index: number, replacement: string): string {
  const reg = regStatements(text, file)[index];
  if (!reg) throw new Error(`${file}: has no reg statement number ${index + 1}`);
  const lines = text.split('\n');
  lines.splice(reg.loc.line - 1, reg.loc.endLine - reg.loc.line + 1, ...replacement.split('\n'));
  return lines.join('\n');
}

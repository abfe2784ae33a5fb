// The parser's one entry point: text → AST and the syntax errors, all of them.
import type { SpecFile } from './ast.js';
import { buildAst } from './cst-to-ast.js';
import { byPosition, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import { parser, parseTokens } from './parser.js';
import { LParen, RParen } from './tokens.js';

export type * from './ast.js';
export { formatDiagnostic, type Diagnostic, type SourceLocation } from './diagnostics.js';
export { print, printExpression } from './printer.js';

/** Deeper nesting than this is refused before parsing, so recursion never exhausts the stack. */
export const MAX_NESTING = 64;

export interface ParseResult {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

export function parse(text: string, file: string): ParseResult {
  const { tokens, comments, diagnostics } = lex(text, file);
  const tooDeep = tokens.reduce<{ depth: number; at?: (typeof tokens)[number] }>((state, t) => {
    if (state.at) return state;
    const depth = state.depth + (t.tokenType === LParen ? 1 : t.tokenType === RParen ? -1 : 0);
    return { depth: Math.max(depth, 0), at: depth > MAX_NESTING ? t : undefined };
  }, { depth: 0 }).at;
  if (tooDeep) {
    diagnostics.push({
      file, line: tooDeep.startLine ?? 1, col: tooDeep.startColumn ?? 1,
      message: `expression nested too deeply: at most ${MAX_NESTING} levels of parentheses`,
    });
    return { ast: emptyFile(), diagnostics };
  }
  const cst = parseTokens(tokens);
  for (const e of parser.errors) {
    // A token inserted by recovery has no place; the error is then where the next real token is.
    const at = Number.isNaN(e.token.startOffset) ? (e as { previousToken?: typeof e.token }).previousToken ?? e.token : e.token;
    diagnostics.push({ file, line: at.startLine ?? 1, col: at.startColumn ?? 1, message: e.message });
  }
  const ast = buildAst(cst, comments);
  return { ast, diagnostics: dedupe(diagnostics.sort(byPosition)) };
}

function emptyFile(): SpecFile {
  return { kind: 'File', statements: [], trailingComments: [], loc: { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 } };
}

/** Recovery can report the same place twice; a person needs it once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

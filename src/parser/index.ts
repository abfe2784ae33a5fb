// The parser's one entry point: text → AST and the syntax errors, all of them.
import type { SpecFile } from './ast.js';
import { buildAst } from './cst-to-ast.js';
import { byPosition, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import { parser, parseTokens, strayLineMessage } from './parser.js';
import type { IToken, TokenType } from './chevrotain.js';
import { MAX_LETS, MAX_SOURCE_CHARS } from './limits.js';
import { Caret, LParen, Minus, Newline, Plus, RParen, Slash, Star, StatementKeywords } from './tokens.js';

export type * from './ast.js';
export { formatDiagnostic, type Diagnostic, type SourceLocation } from './diagnostics.js';
export { print, printExpression } from './printer.js';
export { MAX_LETS, MAX_SOURCE_CHARS } from './limits.js';

/** Deeper nesting than this is refused before parsing, so recursion never exhausts the stack. */
export const MAX_NESTING = 64;
/** Each operator may add a level to an expression tree; this bounds the depth every later stage recurses to. */
export const MAX_OPERATORS_PER_LINE = 256;

export interface ParseResult {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

export function parse(text: string, file: string): ParseResult {
  // Chevrotain throws and catches an exception per syntax error (and cst-to-ast one per recovered
  // piece); their stack traces are never read and cost more than the parse itself.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseText(text, file);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function parseText(source: string, file: string): ParseResult {
  if (source.length > MAX_SOURCE_CHARS) {
    const message = `spec too large: ${source.length} characters, at most ${MAX_SOURCE_CHARS}`;
    return { ast: emptyFile(), diagnostics: [{ file, line: 1, col: 1, message }] };
  }
  const text = normalizeSource(source);
  const { tokens, comments, diagnostics } = lex(text, file);
  const tooComplex = complexityProblem(tokens, file);
  if (tooComplex) return { ast: emptyFile(), diagnostics: [...diagnostics, tooComplex] };
  const cst = parseTokens(tokens);
  for (const e of parser.errors) {
    // A token inserted by recovery has no place; the error is then where the next real token is.
    const at = Number.isNaN(e.token.startOffset) ? (e as { previousToken?: typeof e.token }).previousToken ?? e.token : e.token;
    diagnostics.push({ file, line: at.startLine ?? 1, col: at.startColumn ?? 1, message: e.message });
  }
  const { ast, strays } = buildAst(cst, comments);
  // Recovery from an error inside a line may leave the rest of that line as a "stray line"; only
  // lines that start out of place are news.
  const lineStarts = new Set(tokens.filter((t, i) => i === 0 || tokens[i - 1].tokenType === Newline));
  for (const { first, inBlock } of strays.filter((stray) => lineStarts.has(stray.first))) {
    diagnostics.push({ file, line: first.startLine ?? 1, col: first.startColumn ?? 1, message: strayLineMessage(first, inBlock) });
  }
  return { ast, diagnostics: dedupe(diagnostics.sort(byPosition)) };
}

/**
 * A leading UTF-8 byte order mark (which editors hide) is dropped, and every line end becomes LF: a lone CR
 * (old Mac) and the CR of CRLF, which the lexer counted as a line of its own (CRLF files had their errors
 * on doubled line numbers). CRLF becomes space + LF, a lone CR becomes LF: every offset and column stays
 * that of the text as given (past the mark).
 */
export function normalizeSource(text: string): string {
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return unmarked.replace(/\r\n/g, ' \n').replace(/\r/g, '\n');
}

/**
 * Parsing, checking and printing recurse over expressions; these limits keep that recursion shallow
 * whatever the input (500 nested parentheses, a line of 10,000 `-`).
 */
function complexityProblem(tokens: IToken[], file: string): Diagnostic | undefined {
  let depth = 0;
  let operators = 0;
  let line = 0;
  let lets = 0;
  for (const t of tokens) {
    if (t.startLine !== line) {
      line = t.startLine ?? 0;
      operators = 0;
    }
    if (t.tokenType === LParen) depth++;
    else if (t.tokenType === RParen) depth = Math.max(0, depth - 1);
    else if (t.tokenType === Newline) depth = 0;
    else if (OPERATORS.has(t.tokenType)) operators++;
    const at = { file, line: t.startLine ?? 1, col: t.startColumn ?? 1 };
    if (depth > MAX_NESTING) return { ...at, message: `expression nested too deeply: at most ${MAX_NESTING} levels of parentheses` };
    if (operators > MAX_OPERATORS_PER_LINE) {
      return { ...at, message: `expression too long: at most ${MAX_OPERATORS_PER_LINE} operators on one line` };
    }
    if (t.tokenType === StatementKeywords.let && ++lets > MAX_LETS) return { ...at, message: `too many lets: at most ${MAX_LETS}` };
  }
  return undefined;
}

const OPERATORS = new Set<TokenType>([Plus, Minus, Star, Slash, Caret]);

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

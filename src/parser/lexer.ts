// Text → tokens. Lexing errors become diagnostics with a plain message; the token stream always
// ends with a newline so that every statement, the last one included, has its terminator.
import { createTokenInstance, Lexer, type IToken } from './chevrotain.js';
import { allTokens, Newline, UnterminatedString } from './tokens.js';
import type { Diagnostic } from './diagnostics.js';

/** Token validation costs start-up time on every run; the tests run it (`validate: true`). */
export const createLexer = (options: { validate?: boolean } = {}): InstanceType<typeof Lexer> =>
  new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: !options.validate });

const lexer = createLexer();

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

export function lex(text: string, file: string): LexResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => ({
    file,
    line: e.line ?? 1,
    col: e.column ?? 1,
    message: `unexpected character ${describeChar(String.fromCodePoint(text.codePointAt(e.offset) ?? 0))}`,
  }));
  const tokens: IToken[] = [];
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      diagnostics.push({
        file, line: token.startLine ?? 1, col: token.startColumn ?? 1,
        message: 'unterminated string: add the closing \'"\' on the same line',
      });
      continue;
    }
    tokens.push(token);
  }
  const last = tokens[tokens.length - 1];
  if (!last || last.tokenType !== Newline) tokens.push(endOfFileNewline(text));
  return { tokens, comments: (result.groups.comments as IToken[] | undefined) ?? [], diagnostics };
}

function endOfFileNewline(text: string): IToken {
  const lines = text.split('\n');
  const line = lines.length;
  const col = lines[line - 1].length + 1;
  return createTokenInstance(Newline, '', text.length, text.length, line, line, col, col);
}

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `(code ${code})`;
  return `'${c}'`;
}

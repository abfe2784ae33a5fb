// A diagnostic is one problem at one place in one file. Every stage reports through this type,
// and `formatDiagnostic` is the one way a person sees them: `file:line:col: message`, the line, a caret.
import { escapeControl } from '../sanitize.js';

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  col: number;
  message: string;
}

/** A place in a source text. `endLine`/`endCol` are the last character's position (inclusive). */
export interface SourceLocation {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** 0-based character offset of the first character. */
  offset: number;
}

export function diagnosticAt(file: string, loc: { line: number; col: number }, message: string): Diagnostic {
  return { file, line: loc.line, col: loc.col, message };
}

/**
 * `file:line:col: message`, then the offending line and a caret under the column (when the line exists).
 * Control characters in any of them (a file name, a quoted token, the line itself) are shown escaped, never
 * sent raw to the terminal; the caret stays under the character it points at.
 */
export function formatDiagnostic(d: Diagnostic, text?: string): string {
  const head = escapeControl(`${d.file}:${d.line}:${d.col}: ${d.message}`);
  // Lines as the parser counts them: a byte order mark dropped, CRLF, CR and LF each one line end.
  const sourceLine = text?.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)[d.line - 1];
  if (sourceLine === undefined) return head;
  const untabbed = sourceLine.replace(/\r$/, '').replace(/\t/g, ' ');
  const before = Math.max(0, d.col - 1);
  // A column past the line's end (an error at the end of a line) keeps its distance beyond it.
  const caretAt = escapeControl(untabbed.slice(0, before)).length + Math.max(0, before - untabbed.length);
  return `${head}\n${escapeControl(untabbed)}\n${' '.repeat(caretAt)}^`;
}

/** Source order within one file: by line, then column. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col;
}

// A diagnostic is one problem at one place in one file. Every stage reports through this type,
// and `formatDiagnostic` is the one way a person sees them: `file:line:col: message`, the line, a caret.

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

/** `file:line:col: message`, then the offending line and a caret under the column (when the line exists). */
export function formatDiagnostic(d: Diagnostic, text?: string): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.message}`;
  const sourceLine = text?.split('\n')[d.line - 1];
  if (sourceLine === undefined) return head;
  const shown = sourceLine.replace(/\r$/, '').replace(/\t/g, ' ');
  return `${head}\n${shown}\n${' '.repeat(Math.max(0, d.col - 1))}^`;
}

/** Source order within one file: by line, then column. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col;
}

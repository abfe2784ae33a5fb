// What every checking rule shares: the file being checked, the diagnostics so far, the `let` constants.
import { diagnosticAt, type Diagnostic, type SourceLocation } from '../parser/diagnostics.js';

export interface LetBinding {
  /** Undefined when the let's own expression had an error (already reported); uses stay silent. */
  value: number | undefined;
  loc: SourceLocation;
  /** Position among the file's lets, for "a let can only use earlier lets". */
  order: number;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly lets = new Map<string, LetBinding>();

  constructor(readonly file: string) {}

  report(at: { loc: SourceLocation } | SourceLocation, message: string): void {
    const loc = 'loc' in at ? at.loc : at;
    this.diagnostics.push(diagnosticAt(this.file, loc, message));
  }
}

/** `line 3`, for messages that point at a second place. */
export const lineOf = (loc: SourceLocation): string => `line ${loc.line}`;

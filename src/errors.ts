// The one base of every error that is the user's to fix: a spec, an option, a file or folder they gave.
// The CLI tells them apart from bugs by this class alone (exit code 1 and the message, never a stack
// trace; anything else is an internal error, exit code 2), so a new user-facing error only has to
// extend UserError. This file sits above parser, compiler, runtime, search and cli, which all raise
// user errors, and so imports none of them.

/** Where a user error is: a file, or a line and column in it (1-based). */
export interface ErrorPlace {
  file: string;
  line?: number;
  col?: number;
}

export function formatPlace(place: ErrorPlace): string {
  if (place.line === undefined) return place.file;
  return place.col === undefined ? `${place.file}:${place.line}` : `${place.file}:${place.line}:${place.col}`;
}

/**
 * Folds a message onto one line: a user error is one line of output, even when it quotes a file's
 * content or another error's multi-line message.
 */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*[\r\n]+\s*/g, ' ⏎ ');
}

export class UserError extends Error {
  readonly exitCode: number = 1;
  readonly place?: ErrorPlace;

  /** `message` without the place; with a place the message reads `place: message`. */
  constructor(message: string, place?: ErrorPlace) {
    super(oneLine(place ? `${formatPlace(place)}: ${message}` : message));
    this.name = new.target.name;
    this.place = place;
  }

  /** What the CLI prints for it. */
  get report(): string {
    return this.message;
  }
}

/** One problem at one place in a spec, as the parser and checker report it. */
export interface SpecProblem extends Required<ErrorPlace> {
  message: string;
}

/**
 * A spec that does not parse or check. Its message is the first problem on one line; what the CLI
 * prints is every problem as `file:line:col: message` with the source line and a caret under the
 * column (the documented form of spec errors), formatted by the caller since that is the parser's job.
 */
export class SpecDiagnosticsError extends UserError {
  readonly problems: readonly SpecProblem[];
  private readonly formatted: string;

  constructor(file: string, problems: readonly SpecProblem[], formatted: string) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(first ? `${first.message}${more}` : 'does not check', first ? { file: first.file, line: first.line, col: first.col } : { file });
    this.problems = problems;
    this.formatted = formatted;
  }

  override get report(): string {
    return this.formatted || this.message;
  }
}

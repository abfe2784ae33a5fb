// Text from outside (a queue job's ids, a spec's source lines, a file name, another process's output)
// escaped before it reaches a terminal or a log: a raw ESC sequence could recolour, move the cursor or
// retitle a terminal, a raw newline could forge a log line, and Unicode's direction controls reorder
// what a reader sees. Like errors.ts, this file imports nothing, so every part of src may use it.

/**
 * C0 controls (tab and newline included), DEL, C1 controls, the line and paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return SHORT[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** The text on one line with every control character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Each line of a multi-line text escaped; the line breaks between them are kept. */
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}

export const hasControl = (text: string): boolean => new RegExp(UNSAFE.source).test(text);

// Diagnostics as the commands print them. A file that is not a spec at all (a binary, say) can have
// thousands of errors; past the first few, more of them help nobody, so the rest are only counted.
import { type Diagnostic, formatDiagnostic } from '../parser/diagnostics.js';

export const MAX_SHOWN_PER_FILE = 50;

export function formatDiagnostics(diagnostics: Diagnostic[], text: string): string {
  const shown = diagnostics.slice(0, MAX_SHOWN_PER_FILE).map((d) => formatDiagnostic(d, text));
  const hidden = diagnostics.length - shown.length;
  if (hidden > 0) shown.push(`${diagnostics[0].file}: ${hidden} more error${hidden === 1 ? '' : 's'} not shown`);
  return shown.join('\n');
}

// How a diagnostic reads: `file:line:col: message`, the line, a caret under the column.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/parser/index.js';

describe('formatDiagnostic', () => {
  const d = { file: 'a.gan', line: 2, col: 7, message: "unknown loss 'hinj'" };

  it('shows the line and a caret under the column', () => {
    expect(formatDiagnostic(d, 'gan x\nloss hinj\n')).toBe("a.gan:2:7: unknown loss 'hinj'\nloss hinj\n      ^");
  });

  it('keeps the caret aligned on lines with tabs and Windows line ends', () => {
    expect(formatDiagnostic({ ...d, col: 3 }, 'x\n\tx y\r\n')).toBe("a.gan:2:3: unknown loss 'hinj'\n x y\n  ^");
  });

  it('is one line without the text or past its end', () => {
    expect(formatDiagnostic(d)).toBe("a.gan:2:7: unknown loss 'hinj'");
    expect(formatDiagnostic({ ...d, line: 9 }, 'gan x\n')).toBe("a.gan:9:7: unknown loss 'hinj'");
  });
});

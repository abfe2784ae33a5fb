// Control characters from outside (a spec's bytes, a file name, a queue job's id) are shown escaped:
// never a raw ESC/BEL sequence on a terminal, never a newline that forges a log line, never a Unicode
// direction override that reorders what a reader sees.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/parser/diagnostics.js';
import { escapeControl, escapeControlLines, hasControl } from '../../src/sanitize.js';
import { runMain } from '../cli/in-process.js';
import { RAW_CONTROL } from './helpers.js';

describe('escapeControl', () => {
  it.each([
    ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['bell\x07', 'bell\\x07'],
    ['nul\x00', 'nul\\x00'],
    ['a\nfinished fake-trial', 'a\\nfinished fake-trial'],
    ['cr\roverwrite', 'cr\\roverwrite'],
    ['tab\t', 'tab\\t'],
    ['del\x7f', 'del\\x7f'],
    ['csi\u009b2J', 'csi\\x9b2J'],
    ['evil\u202egnp.exe', 'evil\\u202egnp.exe'],
    ['iso\u2066late\u2069', 'iso\\u2066late\\u2069'],
    ['line\u2028sep', 'line\\u2028sep'],
  ])('%j → %j', (raw, shown) => {
    expect(escapeControl(raw)).toBe(shown);
    expect(hasControl(escapeControl(raw))).toBe(false);
    expect(hasControl(raw)).toBe(true);
  });

  it('leaves printable text alone, Unicode included', () => {
    const text = 'reg λ*R_t^3 ∇ₓD(x) — café 🙂 C:\\runs';
    expect(escapeControl(text)).toBe(text);
    expect(hasControl(text)).toBe(false);
  });

  it('escapeControlLines keeps the line breaks and escapes within each line', () => {
    expect(escapeControlLines('one\x1b[2J\ntwo\x07')).toBe('one\\x1b[2J\ntwo\\x07');
  });
});

describe('diagnostics echo source lines escaped', () => {
  it('keeps the caret under the character it points at', () => {
    const text = 'gan x\x1b[31m\n';
    const shown = formatDiagnostic({ file: 'f.gan', line: 1, col: 8, message: "expected end of line, found '31'" }, text);
    const [, line, caret] = shown.split('\n');
    expect(line).toBe('gan x\\x1b[31m');
    expect(line[caret.indexOf('^')]).toBe('3');
  });

  it('keeps a caret past the end of the line where it was', () => {
    expect(formatDiagnostic({ file: 'f.gan', line: 1, col: 6, message: 'expected a name' }, 'gan\n').split('\n')[2]).toBe('     ^');
  });

  it('ganc check on a spec with ESC and BEL prints none of them raw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganc-sanitize-'));
    const spec = join(dir, 'evil.gan');
    writeFileSync(spec, 'gan x\ndata ring8\nloss hinge\x07\x1b]0;pwned\x07\n');
    const r = await runMain('check', spec);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('loss hinge\\x07\\x1b]0;pwned\\x07');
  });

  it('a file name with a newline and escape codes is one escaped line', async () => {
    const r = await runMain('check', join(tmpdir(), 'no-such\n\x1b[2Jfinished fake.gan'));
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(rest).toEqual(['1 error in 1 file']);
    expect(first).toMatch(/no-such.*\\x1b\[2Jfinished fake\.gan: cannot read: no such file$/);
  });
});

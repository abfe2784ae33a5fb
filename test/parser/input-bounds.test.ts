// What text the parser takes: a UTF-8 byte order mark and old Mac line ends (a lone CR) read like plain
// text, and the input's size and let count are bounded, so that a 5 MB spec (1.27 GB and 14 s before) is
// refused at once and the largest accepted one still checks within a second.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { formatDiagnostic, MAX_LETS, MAX_SOURCE_CHARS, parse, print } from '../../src/parser/index.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const SPEC = ring8Spec({ name: 'toy', batch: 16, width: 8, loss: 'hinge', lines: ['let lambda = 10', 'reg lambda * r1'] });

const header = 'data ring8\nlatent normal 2\ngenerator\n  dense 2\ndiscriminator\n  dense 1\n';

describe('input the parser takes', () => {
  it('reads a spec with a UTF-8 byte order mark like the spec without it', () => {
    const plain = compileSource(SPEC, 't.gan');
    const marked = compileSource(`\uFEFF${SPEC}`, 't.gan');
    expect(marked.diagnostics).toEqual([]);
    expect(marked.ir).toEqual(plain.ir);
  });

  it('puts errors after a byte order mark at the columns an editor shows', () => {
    const { diagnostics } = compileSource(`\uFEFF${SPEC.replace('loss hinge', 'loss hinj')}`, 't.gan');
    expect(diagnostics.map((d) => `${d.line}:${d.col}`)).toEqual(['12:6']);
  });

  it('reads CR-only and CRLF line ends like LF, errors on the lines an editor shows', () => {
    const plain = print(parse(SPEC, 't.gan').ast);
    for (const text of [SPEC.replaceAll('\n', '\r'), SPEC.replaceAll('\n', '\r\n')]) {
      const parsed = parse(text, 't.gan');
      expect(parsed.diagnostics).toEqual([]);
      expect(print(parsed.ast)).toBe(plain);
    }
    for (const end of ['\r', '\r\n']) {
      const { diagnostics } = compileSource(SPEC.replace('loss hinge', 'loss hinj').replaceAll('\n', end), 't.gan');
      expect(diagnostics.map((d) => `${d.line}:${d.col}`)).toEqual(['12:6']);
    }
  });

  it('shows the offending line and a caret for CR-only and CRLF text and after a byte order mark', () => {
    for (const text of [`\uFEFF${SPEC}`, SPEC.replaceAll('\n', '\r'), SPEC.replaceAll('\n', '\r\n')]) {
      const bad = text.replace('loss hinge', 'loss hinj');
      const [d] = compileSource(bad, 't.gan').diagnostics;
      expect(formatDiagnostic(d, bad).split('\n').slice(1)).toEqual(['loss hinj', '     ^']);
    }
  });

  it('refuses a text over the size limit at once, with one diagnostic', () => {
    const lets = Array.from({ length: 400_000 }, (_, i) => `let a${i} = ${i}`).join('\n');
    expect(lets.length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const { diagnostics } = compileSource(`${header}${lets}\n`, 'big.gan');
    expect(performance.now() - started).toBeLessThan(100);
    expect(diagnostics).toEqual([{ file: 'big.gan', line: 1, col: 1, message: `spec too large: ${header.length + lets.length + 1} characters, at most ${MAX_SOURCE_CHARS}` }]);
  });

  it('refuses one let more than the limit, where it stands', () => {
    const lets = Array.from({ length: MAX_LETS + 1 }, (_, i) => `let a${i} = ${i}`);
    const { diagnostics } = compileSource(`${header}${lets.join('\n')}\n`, 't.gan');
    expect(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([`${7 + MAX_LETS}:1: too many lets: at most ${MAX_LETS}`]);
  });

  it('checks the largest spec it takes (every let, each using the one before, up to the size limit) within a second', () => {
    const lets = Array.from({ length: MAX_LETS }, (_, i) => (i === 0 ? 'let a0 = 1' : `let a${i} = a${i - 1} + 1`));
    let text = `${header}${lets.join('\n')}\nreg a${MAX_LETS - 1} * r1\n`;
    const filler = `# ${'x'.repeat(76)}\n`;
    text += filler.repeat(Math.floor((MAX_SOURCE_CHARS - text.length) / filler.length));
    expect(text.length).toBeGreaterThan(MAX_SOURCE_CHARS - filler.length);
    const started = performance.now();
    const { ir, diagnostics } = compileSource(text, 't.gan');
    const elapsed = performance.now() - started;
    expect(diagnostics).toEqual([]);
    expect(ir!.constants[`a${MAX_LETS - 1}`]).toBe(MAX_LETS);
    expect(elapsed).toBeLessThan(1000);
  });
});

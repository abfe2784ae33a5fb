// grammar/diagrams.html is generated from the parser; it must be regenerated (`npm run grammar`)
// whenever the grammar changes, and grammar/ganc.ebnf must name every rule the parser has.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parser } from '../../src/parser/parser.js';
import { DIAGRAMS_PATH, grammarDiagramsHtml } from '../../scripts/grammar-diagrams.js';

describe('grammar documents', () => {
  it('grammar/diagrams.html matches the parser (run `npm run grammar` after a grammar change)', () => {
    expect(readFileSync(DIAGRAMS_PATH, 'utf8')).toBe(grammarDiagramsHtml());
  });

  it('grammar/ganc.ebnf defines every parser rule', () => {
    const ebnf = readFileSync(new URL('../../grammar/ganc.ebnf', import.meta.url), 'utf8');
    const defined = new Set([...ebnf.matchAll(/^([a-zA-Z]+)\s*::=/gm)].map((m) => m[1]));
    const rules = parser.getGAstProductions();
    expect([...Object.keys(rules)].filter((rule) => !defined.has(rule))).toEqual([]);
  });
});

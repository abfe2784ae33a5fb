// Test helpers for the parser: ASTs compared without their source locations.
import { parse } from '../../src/parser/index.js';
import type { SpecFile } from '../../src/parser/ast.js';

/** A deep copy without `loc` fields. */
export function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'loc').map(([k, v]) => [k, withoutLocations(v)]));
  }
  return value;
}

/** The AST of a text that must parse cleanly. */
export function parseClean(text: string): SpecFile {
  const { ast, diagnostics } = parse(text, 't.gan');
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  return ast;
}

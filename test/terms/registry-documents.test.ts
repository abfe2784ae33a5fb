// The documents that list the registry's words are generated from it (`npm run registry`): the IR schema's
// enums and docs/language.md's table of the formula vocabulary. This fails until they are regenerated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_DOC_PATH, SCHEMA_PATH, syncedLanguageDoc, syncedSchema } from '../../scripts/registry-sync.js';
import { BUILTIN_TERMS } from '../../src/terms/regularizer-terms/index.js';

describe('documents generated from the term registry', () => {
  it('ir.schema.json lists the registry\'s terms, functions, losses and normalizations (run `npm run registry`)', () => {
    const text = readFileSync(SCHEMA_PATH, 'utf8');
    expect(syncedSchema(text)).toBe(text);
  });

  it('docs/language.md defines every built-in term as the registry does (run `npm run registry`)', () => {
    const text = readFileSync(LANGUAGE_DOC_PATH, 'utf8');
    expect(syncedLanguageDoc(text)).toBe(text);
    for (const term of BUILTIN_TERMS) expect(text).toContain(`| \`${term.name}\` | scalar |`);
  });

  it('a schema missing a term is out of step', () => {
    const text = readFileSync(SCHEMA_PATH, 'utf8');
    expect(syncedSchema(text.replace('"r2",', ''))).not.toBe(text.replace('"r2",', ''));
  });
});

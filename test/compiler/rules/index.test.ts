// The rules' declarations hold: RULES runs each rule after the rules that write what it reads, each part
// of the draft has one writer, each rule writes exactly its `writes` and reads nothing else, and each
// rule file exports one rule named after the file.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CheckContext, type DraftIR, type DraftPart } from '../../../src/compiler/context.js';
import { RULES } from '../../../src/compiler/rules/index.js';
import { parse } from '../../../src/parser/index.js';
import { specFiles } from '../../../scripts/golden-specs.js';

const RULES_DIR = fileURLToPath(new URL('../../../src/compiler/rules/', import.meta.url));
const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort();

const camelCase = (kebab: string): string => kebab.replace(/-(.)/g, (_, c: string) => c.toUpperCase());

function contextOf(spec: string): CheckContext {
  const parsed = parse(readFileSync(spec, 'utf8'), spec);
  expect(parsed.diagnostics).toEqual([]);
  return new CheckContext(parsed.ast, spec);
}

describe('RULES', () => {
  it('runs each rule after the rules that write the parts it reads', () => {
    const written = new Set<DraftPart>();
    const unmet: string[] = [];
    for (const rule of RULES) {
      for (const part of rule.reads) if (!written.has(part)) unmet.push(`${rule.name} reads ${part}`);
      for (const part of rule.writes) written.add(part);
    }
    expect(unmet).toEqual([]);
  });

  it('has one writer per draft part and one rule per name', () => {
    const writes = RULES.flatMap((rule) => rule.writes);
    expect(new Set(writes).size).toBe(writes.length);
    const names = RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('holds every rule file, each exporting only the rule named after the file', async () => {
    expect(ruleFiles.map((f) => basename(f, '.ts')).sort()).toEqual(RULES.map((rule) => rule.name).sort());
    for (const file of ruleFiles) {
      const name = basename(file, '.ts');
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      const exports: Record<string, unknown> = await import(join(RULES_DIR, file));
      expect(Object.keys(exports), file).toEqual([`${camelCase(name)}Rule`]);
      expect(RULES, file).toContain(exports[`${camelCase(name)}Rule`]);
    }
  });

  it('has a test file for every rule', () => {
    const testsDir = fileURLToPath(new URL('.', import.meta.url));
    const tested = readdirSync(testsDir).filter((f) => f.endsWith('.test.ts')).map((f) => basename(f, '.test.ts'));
    expect(RULES.map((rule) => rule.name).filter((name) => !tested.includes(name))).toEqual([]);
  });

  // On every spec in specs/: runs the rules one at a time on a draft that records what each touches.
  it.each(specFiles().map((spec) => [basename(spec), spec]))('each rule writes exactly its parts and reads only declared ones: %s', (_name, spec) => {
    const ctx = contextOf(spec);
    const draft: DraftIR = {};
    for (const rule of RULES) {
      const read = new Set<string>();
      const watched = new Proxy(draft, {
        get(target, part, receiver) {
          if (typeof part === 'string') read.add(part);
          return Reflect.get(target, part, receiver);
        },
      });
      const before = new Set(Object.keys(draft));
      rule.check(ctx, watched);
      const added = Object.keys(draft).filter((part) => !before.has(part));
      expect(added.sort(), rule.name).toEqual([...rule.writes].sort());
      const declared: readonly string[] = [...rule.reads, ...rule.writes];
      expect([...read].filter((part) => !declared.includes(part)), rule.name).toEqual([]);
    }
    expect(ctx.diagnostics).toEqual([]);
  });
});

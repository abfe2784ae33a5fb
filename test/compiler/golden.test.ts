// Every spec compiles to exactly its golden IR (test/golden/<name>.ir.json), and that IR is valid
// against the schema. Regenerate the golden files only on purpose: `npm run golden:update`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { irProblems } from '../../src/ir/validate.js';
import { compileSpec, goldenPath, goldenText, specFiles } from '../../scripts/golden-specs.js';

describe('golden IR of every spec', () => {
  const specs = specFiles();
  it('finds the specs', () => expect(specs.length).toBeGreaterThanOrEqual(8));
  it.each(specs)('%s', (spec) => {
    const { ir, messages } = compileSpec(spec);
    expect(messages).toEqual([]);
    expect(irProblems(ir)).toEqual([]);
    expect(goldenText(ir!)).toBe(readFileSync(goldenPath(spec), 'utf8'));
  });
});

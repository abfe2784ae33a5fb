// Variant generation: every variant spec is written, parses and checks to the formula it claims;
// equivalent candidates are merged into one variant; the rest of the spec is left as written.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { canonicalKey } from '../../src/search/canonical.js';
import { checkSpecText } from '../../src/search/check-spec.js';
import { DEFAULT_GRID, REWRITE_FAMILIES } from '../../src/search/rewrites.js';
import { generateVariants, writeVariantFiles, type Variant } from '../../src/search/variants.js';
import { GND_SPEC, RING8_SPEC } from './formulas.js';

function variantsOf(specFile: string, depth = 1): { variants: Variant[]; regCount: number; text: string } {
  const text = readFileSync(specFile, 'utf8');
  const ir = checkSpecText(text, specFile);
  const { variants } = generateVariants(text, specFile, ir, { regIndex: 0, families: REWRITE_FAMILIES, grid: DEFAULT_GRID, depth, maxVariants: 1000 });
  return { variants, regCount: ir.regularizers.length, text };
}

describe.each([
  ['ring8-r1.gan (reg 0.1 * r1)', RING8_SPEC, 1],
  ['ring8-gnd.gan (reg lambda*R_t^3 window 2)', GND_SPEC, 1],
  ['ring8-gnd.gan, two edits per variant', GND_SPEC, 2],
])('variants of %s', (_name, specFile, depth) => {
  const { variants, regCount, text } = variantsOf(specFile, depth);

  it('writes every variant as a spec that parses and checks to the variant\'s formula', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganc-variants-'));
    writeVariantFiles(dir, variants, 0, regCount);
    for (const v of variants) {
      const path = join(dir, v.file);
      const written = readFileSync(path, 'utf8');
      const { ir, diagnostics } = compileSource(written, path);
      expect(diagnostics, `${v.id}: ${v.reg}`).toEqual([]);
      if (v.kind === 'no-regularizer') {
        expect(ir!.regularizers).toHaveLength(regCount - 1);
      } else {
        const reg = ir!.regularizers[0];
        expect(canonicalKey(reg.formula, reg.window)).toBe(v.key);
      }
    }
  });

  it('has one variant per canonical key, with the spec\'s formula and no regularizer as baselines', () => {
    const keys = variants.map((v) => v.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(variants.filter((v) => v.kind !== 'variant').map((v) => v.id)).toEqual(['original', 'no-regularizer']);
    expect(variants.length).toBeGreaterThan(10);
  });

  it('changes only the reg line: other lines, comments and let constants stay as written', () => {
    const original = text.split('\n').filter((l) => !l.startsWith('reg '));
    for (const v of variants) {
      const lines = v.specText.split('\n');
      expect(lines.filter((l) => !l.startsWith('reg ') && !l.startsWith('# reg removed'))).toEqual(original);
    }
  });
});

describe('equivalent candidates', () => {
  it('ring8: abs(r1) is r1 (r1 ≥ 0), r1^2 is square(r1); there is no window to vary without R_t', () => {
    const { variants } = variantsOf(RING8_SPEC);
    const byReg = new Map(variants.map((v) => [v.reg, v]));
    expect(byReg.get('reg 0.1 * r1')!.duplicates).toEqual(expect.arrayContaining([['abs on r1'], ['abs on the whole formula']]));
    expect(byReg.get('reg 0.1 * square(r1)')!.duplicates).toContainEqual(['r1^2']);
    expect(variants.some((v) => v.reg.includes('window'))).toBe(false);
  });

  it('ring8-gnd: the let constant is kept, scaling folds into a leading factor, window 1 is R', () => {
    const { variants } = variantsOf(GND_SPEC);
    const regs = variants.map((v) => v.reg);
    expect(regs).toContain('reg lambda * R_t ^ 3 window 2');
    expect(regs).toContain('reg 0.1 * lambda * R_t ^ 3 window 2');
    expect(regs).toContain('reg lambda * abs(R_t) ^ 3 window 2');
    expect(regs).toContain('reg lambda * R_t ^ 3 window 4');
    expect(variants.find((v) => v.reg === 'reg lambda * R_t ^ 3')!.key).toBe('(* 100 (^ R 3))');
    expect(variants.find((v) => v.reg === 'reg square(lambda * R_t ^ 3) window 2')!.duplicates).toContainEqual(['the whole formula^2']);
  });
});

describe('a named reg', () => {
  it('keeps its name on the spec\'s own formula and drops it on rewrites, whose text is their label', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganc-named-variants-'));
    const specFile = join(dir, 'named.gan');
    const text = readFileSync(GND_SPEC, 'utf8').replace(/^reg /m, 'reg cubic = ');
    const ir = checkSpecText(text, specFile);
    expect(ir.regularizers[0]!.name).toBe('cubic');
    const { variants } = generateVariants(text, specFile, ir, { regIndex: 0, families: REWRITE_FAMILIES, grid: DEFAULT_GRID, depth: 1, maxVariants: 1000 });
    expect(variants.find((v) => v.kind === 'original')!.reg).toBe('reg cubic = lambda * R_t ^ 3 window 2');
    const rewritten = variants.filter((v) => v.kind === 'variant');
    expect(rewritten.length).toBeGreaterThan(5);
    for (const v of rewritten) expect(v.reg).not.toContain('cubic');
    writeVariantFiles(dir, variants, 0, ir.regularizers.length);
    expect(checkSpecText(variants[0]!.specText, specFile).regularizers[0]!.name).toBe('cubic');
  });
});

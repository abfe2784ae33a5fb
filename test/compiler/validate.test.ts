// The schema accepts the checker's IR and rejects what the runtime must never load.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GanIR } from '../../src/ir/ir.js';
import { IRValidationError, irProblems, loadIR } from '../../src/ir/validate.js';
import { goldenPath, SPECS_DIR } from '../../scripts/golden-specs.js';

const golden = (name: string): GanIR => JSON.parse(readFileSync(goldenPath(`${SPECS_DIR}/${name}.gan`), 'utf8')) as GanIR;
const mutated = (change: (ir: any) => void): unknown => {
  const ir = golden('wgan-gp');
  change(ir);
  return ir;
};

describe('loadIR', () => {
  it('loads a golden IR from its JSON text', () => {
    const text = readFileSync(goldenPath(`${SPECS_DIR}/pgn.gan`), 'utf8');
    expect(loadIR(text).name).toBe('pgn_mnist');
  });

  it('rejects text that is not JSON', () => {
    expect(() => loadIR('{')).toThrow(IRValidationError);
  });

  it.each([
    ['an unknown top-level field', (ir: any) => { ir.extra = 1; }, 'must NOT have additional properties'],
    ['a missing field', (ir: any) => { delete ir.train; }, "must have required property 'train'"],
    ['an unknown loss', (ir: any) => { ir.loss = 'hinj'; }, '/loss: must be equal to one of the allowed values'],
    ['an unknown layer kind', (ir: any) => { ir.generator.layers[0].kind = 'convv'; }, '/generator/layers/0'],
    ['a zero batch', (ir: any) => { ir.data.batch = 0; }, '/data/batch: must be >= 1'],
    ['an unknown formula op', (ir: any) => { ir.regularizers[0].formula.op = 'pow2'; }, '/regularizers/0/formula'],
    ['an unknown term', (ir: any) => { ir.regularizers[0].formula.args[1].term = 'gp2'; }, '/regularizers/0/formula'],
    ['an older IR version, as one problem', (ir: any) => { ir.irVersion = 1; delete ir.train; }, '/irVersion: 1, but this ganc reads IR version 2'],
    ['a non-integer shape', (ir: any) => { ir.data.shape = [28.5, 28, 1]; }, '/data/shape/0: must be integer'],
  ])('rejects %s', (_what, change, problem) => {
    const value = mutated(change);
    expect(irProblems(value).join('\n')).toContain(problem);
    if (problem.startsWith('/irVersion')) expect(irProblems(value)).toHaveLength(1);
    expect(() => loadIR(value)).toThrow(IRValidationError);
  });
});

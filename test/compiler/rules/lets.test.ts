// The lets rule alone: constants over numbers and earlier lets, folded to numbers. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('lets rule', () => {
  it('folds each let to a number, using earlier lets', () => {
    expect(irOf(minimalSpec({ added: ['let a = 2', 'let b = a * 3 + sqrt(4)'] })).constants).toEqual({ a: 2, b: 8 });
  });
  it('makes lets usable in any number of the spec', () => {
    const ir = irOf(minimalSpec({ generator: ['generator', '  dense width', '  dense 2'], added: ['let width = 8'] }));
    expect(ir.generator.layers[0]).toMatchObject({ kind: 'dense', units: 8 });
  });

  itRejects([
    ["duplicate let", minimalSpec({ added: ['let a = 1', 'let a = 2'] }),
      ["8:5: duplicate let 'a': it is already defined at line 7"]],
    ["let later", minimalSpec({ added: ['let a = b', 'let b = 2'] }),
      ["7:9: 'b' is defined later, at line 8; a let can only use earlier lets"]],
    ["let reserved", minimalSpec({ added: ['let gp = 2'] }),
      ["7:5: 'gp' is a built-in name of formulas and cannot be a let name"]],
    // As a key of the IR's constants object it would set the prototype and vanish from the IR.
    ["let __proto__", minimalSpec({ added: ['let __proto__ = 2'] }), ["7:5: '__proto__' cannot be a let name"]],
    ["let self", minimalSpec({ added: ['let a = a + 1'] }),
      ["7:9: 'a' cannot be defined in terms of itself"]],
    ["unknown let in let", minimalSpec({ added: ['let a = 1', 'let b = aa * 2'] }),
      ["8:9: undefined name 'aa' (did you mean 'a'?)"]],
    ["overflow let", minimalSpec({ added: ['let big = 1e200 * 1e200'] }),
      ["7:11: this value is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
    ["function with two arguments in a let", minimalSpec({ added: ['let a = abs(1, 2)'] }),
      ["7:9: 'abs' takes 1 argument, got 2"]],
  ]);
});

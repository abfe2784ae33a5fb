// The reg-constants rule alone: a reg formula whose constant part is not a finite number, or that divides
// by a constant zero, is refused like a let with that value. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('reg-constants rule', () => {
  it('accepts formulas whose constant parts are finite, zero factors and divisions by non-zero constants included', () => {
    const ir = irOf(minimalSpec({ added: ['let z = 0', 'reg r1 / 2 + z * gp', 'reg (1 - 1) * r1 + r1 / (2 - 1)', 'reg 1 / (R + 1)'] }));
    expect(ir.regularizers).toHaveLength(3);
  });

  itRejects([
    ["1/0 times a term", minimalSpec({ added: ['reg 1/0*r1'] }), ['7:5: this formula divides by a constant zero']],
    ["0/0 times a term", minimalSpec({ added: ['reg (0/0)*r1'] }), ['7:6: this formula divides by a constant zero']],
    ["a term over 0", minimalSpec({ added: ['reg r1/0'] }), ['7:5: this formula divides by a constant zero']],
    ["a term over a let that is 0", minimalSpec({ added: ['let zero = 1 - 1', 'reg gp / zero'] }), ['8:5: this formula divides by a constant zero']],
    ["log of 0", minimalSpec({ added: ['reg log(0) * gp'] }),
      ["7:5: a constant part of this formula is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
    ["an overflowing product", minimalSpec({ added: ['reg 1e200 * 1e200 * r1'] }),
      ["7:5: a constant part of this formula is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
    ["inside a reduction", minimalSpec({ added: ['reg mean(D(real) * exp(1000))'] }),
      ["7:5: a constant part of this formula is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
  ]);
});

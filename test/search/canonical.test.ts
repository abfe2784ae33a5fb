// Canonical keys: formulas that train the same get one key, formulas that do not get different keys;
// a printed formula reads back as the same formula.
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ir/ir.js';
import { canonicalKey } from '../../src/search/canonical.js';
import { printFormula, printReg } from '../../src/search/expr-print.js';
import { regOf } from './formulas.js';

const keyOf = (regLine: string): string => {
  const reg = regOf(regLine);
  return canonicalKey(reg.formula, reg.window);
};

describe('canonical keys', () => {
  it.each([
    ['reg 0.1 * r1', 'reg r1 * 0.1'],
    ['reg 0.1 * r1', 'reg r1 / 10'],
    ['reg 0.1 * r1', 'reg 0.05 * r1 + 0.05 * r1'],
    ['reg lambda * R_t^3 window 2', 'reg 100 * R_t^3 window 2'],
    ['reg lambda * R_t^3 window 2', 'reg R_t * R_t * R_t * lambda window 2'],
    ['reg lambda * R_t^3 window 2', 'reg lambda * cube(R_t) window 2'],
    ['reg square(r1)', 'reg r1^2'],
    ['reg square(r1)', 'reg r1 * r1'],
    ['reg (r1^2)^3', 'reg r1^6'],
    ['reg (2 * r1)^2', 'reg 4 * r1^2'],
    ['reg r1^1', 'reg r1'],
    ['reg gp + r1', 'reg r1 + gp'],
    ['reg gp - r1', 'reg -r1 + gp'],
    ['reg gp - r1', 'reg gp + (-1) * r1'],
    ['reg abs(abs(R))', 'reg abs(R)'],
    ['reg abs(0.1 * r1)', 'reg 0.1 * abs(r1)'],
    ['reg abs(R^2)', 'reg R^2'],
    ['reg abs(r1)', 'reg r1'], // terms the registry marks never negative: r1, r2, gp, l2
    ['reg relu(r2)', 'reg r2'],
    ['reg softplus(1000) * r1', 'reg 1000 * r1'], // constants fold with the registry's stable softplus
    ['reg relu(0.1 * gp + l2)', 'reg 0.1 * gp + l2'],
    ['reg abs(mean(norm(grad(D, real))))', 'reg mean(norm(grad(D, real)))'],
    ['reg abs(R)^2', 'reg square(R)'],
    ['reg abs(R) * abs(R)', 'reg R^2'],
    ['reg 2 + 3 * r1 - 2', 'reg 3 * r1'],
    ['reg mean(r1)', 'reg r1'],
    ['reg mean(3 * norm(grad(D, real)))', 'reg 3 * mean(norm(grad(D, real)))'],
    ['reg R_t window 1', 'reg R'],
    ['reg sin(2 * 0.5) * gp', 'reg sin(1) * gp'],
  ])('%s ≡ %s', (a, b) => {
    expect(keyOf(a)).toBe(keyOf(b));
  });

  it.each([
    ['reg 0.1 * r1', 'reg 0.3 * r1'],
    ['reg 0.1 * r1', 'reg 0.1 * gp'],
    ['reg r1', 'reg r2'],
    ['reg softplus(1000 * r1)', 'reg 1000 * r1'], // equal only where r1 is large
    ['reg square(0.1 * r1)', 'reg 0.1 * square(r1)'],
    ['reg abs(R)', 'reg R'],
    ['reg abs(r1 - gp)', 'reg r1 - gp'],
    ['reg sin(r1)', 'reg tanh(r1)'],
    ['reg R_t^3 window 2', 'reg R_t^3 window 4'],
    ['reg R_t^3 window 2', 'reg R^3'],
    ['reg abs(R)^3', 'reg abs(R^3) + R'],
    ['reg R^3', 'reg R^2'],
    ['reg (R^2)^0.5', 'reg R'], // equal only for R ≥ 0
    ['reg mean(D(real))', 'reg mean(D(fake))'],
    ['reg mean(norm(grad(D, real)))', 'reg mean(norm(grad(D, fake)))'],
    ['reg gp - r1', 'reg r1 - gp'],
    ['reg sum(D(real))', 'reg mean(D(real))'],
  ])('%s ≢ %s', (a, b) => {
    expect(keyOf(a)).not.toBe(keyOf(b));
  });
});

/** The formula without the types (the checker's and the search's constructors must agree on those too). */
const strip = (e: Expr): unknown => JSON.parse(JSON.stringify(e));

describe('printing a formula', () => {
  it.each([
    'reg lambda * R_t ^ 3 window 2',
    'reg -R ^ 2',
    'reg (-R) ^ 2',
    'reg 2 ^ 3 ^ R',
    'reg (2 ^ 3) ^ R',
    'reg gp - (r1 - R)',
    'reg gp / (r1 * R)',
    'reg 0.1 * lambda * abs(R_t) ^ 3 + 10 * gp window 4',
    'reg mean(softplus(-D(real))) + 2e-4 * sum(norm(grad(D, interp)))',
    'reg square(0.1 * r1)',
  ])('%s reads back as the same formula', (line) => {
    const reg = regOf(line);
    const printed = printReg(reg.formula, reg.window);
    const again = regOf(printed);
    expect(strip(again.formula)).toEqual(strip(reg.formula));
    expect(again.window).toBe(reg.window);
    expect(printFormula(again.formula)).toBe(printFormula(reg.formula));
  });
});

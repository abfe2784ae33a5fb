// --set grids: braces expand to the cross product (first group slowest, first --set slowest), ';' joins
// overrides applied together, and a malformed grid is one CompareError naming the --set.
import { describe, expect, it } from 'vitest';
import { CompareError } from '../../src/compare/compare-error.js';
import { expandOne, expandSets, MAX_SET_COMBINATIONS } from '../../src/compare/set-grid.js';

describe('expandSets', () => {
  it('expands the braces of one --set to every combination, the first group slowest', () => {
    expect(expandSets(['optimizer D adam lr {1e-4,2e-4} betas {0.5 0.9,0 0.9}']).map((c) => c.overrides)).toEqual([
      ['optimizer D adam lr 1e-4 betas 0.5 0.9'],
      ['optimizer D adam lr 1e-4 betas 0 0.9'],
      ['optimizer D adam lr 2e-4 betas 0.5 0.9'],
      ['optimizer D adam lr 2e-4 betas 0 0.9'],
    ]);
  });

  it('crosses several --set options, keeping each one\'s overrides', () => {
    expect(expandSets(['train ndis {1,5}', 'loss hinge']).map((c) => c.overrides)).toEqual([
      ['train ndis 1', 'loss hinge'],
      ['train ndis 5', 'loss hinge'],
    ]);
  });

  it("splits an alternative at ';' into overrides applied together (a setting of several statements)", () => {
    expect(expandSets(['{optimizer D adam lr 1e-4; train ndis 5,optimizer D adam lr 1e-3;  train   ndis 1}']).map((c) => c.overrides)).toEqual([
      ['optimizer D adam lr 1e-4', 'train ndis 5'],
      ['optimizer D adam lr 1e-3', 'train ndis 1'],
    ]);
  });

  it('gives one empty combination without --set, and one per text without braces', () => {
    expect(expandSets([])).toEqual([{ overrides: [] }]);
    expect(expandSets(['train ema 0'])).toEqual([{ overrides: ['train ema 0'] }]);
  });

  it.each([
    ['optimizer D lr {1e-4,2e-4', /'\{' at character 16 is not closed/],
    ['optimizer D lr 1e-4}', /'\}' at character 20 closes no '\{'/],
    ['lr {1e-4,{2e-4}}', /braces inside braces/],
    ['lr {1e-4,}', /an empty alternative in \{1e-4,\}/],
    [' ; ', /expands to an empty override/],
  ])('refuses %j', (set, message) => {
    expect(() => expandOne(set)).toThrow(CompareError);
    expect(() => expandOne(set)).toThrow(message);
  });

  it(`refuses more than ${MAX_SET_COMBINATIONS} combinations`, () => {
    const ten = `{${Array.from({ length: 10 }, (_, i) => i).join(',')}}`;
    expect(() => expandSets([`let a ${ten}`, `let b ${ten}`, `let c ${ten}`])).toThrow(/1000 combinations; at most 256/);
  });
});

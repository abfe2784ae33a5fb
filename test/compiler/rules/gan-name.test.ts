// The gan-name rule alone: the spec's name, from `gan NAME` or else its file's.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('gan-name rule', () => {
  it('takes the name of the gan statement', () => expect(irOf(minimalSpec({ added: ['gan toy'] })).name).toBe('toy'));
  it('names a spec without one after its file', () => expect(irOf(minimalSpec()).name).toBe('t'));
  it('takes a name of 100 characters', () => expect(irOf(minimalSpec({ added: [`gan ${'a'.repeat(100)}`] })).name).toHaveLength(100));

  itRejects([
    // A run directory is named NAME-YYYYMMDD-HHMMSS; 300 characters made creating it fail with ENAMETOOLONG.
    ['a 300-character name', minimalSpec({ added: [`gan ${'a'.repeat(300)}`] }),
      ['7:5: the name is 300 characters; at most 100, as it names run directories']],
  ]);
});

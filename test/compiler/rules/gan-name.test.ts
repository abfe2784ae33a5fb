// The gan-name rule alone: the spec's name, from `gan NAME` or else its file's.
import { describe, expect, it } from 'vitest';
import { irOf, minimalSpec } from './minimal-spec.js';

describe('gan-name rule', () => {
  it('takes the name of the gan statement', () => expect(irOf(minimalSpec({ added: ['gan toy'] })).name).toBe('toy'));
  it('names a spec without one after its file', () => expect(irOf(minimalSpec()).name).toBe('t'));
});

// The loss rule alone: the adversarial loss. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('loss rule', () => {
  it('defaults to nonsaturating', () => expect(irOf(minimalSpec()).loss).toBe('nonsaturating'));
  it('reads the loss', () => expect(irOf(minimalSpec({ added: ['loss hinge'] })).loss).toBe('hinge'));

  itRejects([
    ["unknown loss", minimalSpec({ added: ['loss hinj'] }),
      ["7:6: unknown loss 'hinj' (did you mean 'hinge'?)"]],
  ]);
});

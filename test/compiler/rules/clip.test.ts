// The clip rule alone: WGAN weight clipping of D. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('clip rule', () => {
  it('is off without a clip statement', () => expect(irOf(minimalSpec()).clip).toBeNull());
  it('reads the bound', () => expect(irOf(minimalSpec({ added: ['clip 0.01'] })).clip).toBe(0.01));

  itRejects([
    ["clip 0", minimalSpec({ added: ['clip 0'] }),
      ["7:6: clip must be greater than 0, got 0"]],
  ]);
});

// The normalize rule alone: how D is normalized. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('normalize rule', () => {
  it('defaults to none', () => expect(irOf(minimalSpec()).normalize).toBe('none'));
  it('reads the method', () => expect(irOf(minimalSpec({ added: ['normalize D pgn'] })).normalize).toBe('pgn'));

  itRejects([
    ["unknown normalization", minimalSpec({ added: ['normalize D spectral'] }),
      ["7:13: unknown normalization 'spectral': expected none, sn, gn or pgn"]],
    ["normalize G", minimalSpec({ added: ['normalize G sn'] }),
      ["7:11: only the discriminator can be normalized: write 'normalize D sn'"]],
  ]);
});

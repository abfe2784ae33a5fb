// The init rule alone: `init D|G SCHEME`, one per network. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

const kernelInits = (spec: string) => {
  const ir = irOf(spec);
  return [ir.generator, ir.discriminator].map((net) => net.layers[0]!.params.map((p) => p.init));
};

describe('init rule', () => {
  it('keeps PyTorch\'s default initialization without an init statement', () => {
    expect(kernelInits(minimalSpec())).toEqual([
      [{ kind: 'uniform_fan_in', fanIn: 2 }, { kind: 'uniform_fan_in', fanIn: 2 }],
      [{ kind: 'uniform_fan_in', fanIn: 2 }, { kind: 'uniform_fan_in', fanIn: 2 }],
    ]);
  });
  it('gives each network its scheme, biases at 0', () => {
    expect(kernelInits(minimalSpec({ added: ['init G normal 0.02', 'init D orthogonal'] }))).toEqual([
      [{ kind: 'normal', std: 0.02 }, { kind: 'zeros' }],
      [{ kind: 'orthogonal' }, { kind: 'zeros' }],
    ]);
    expect(kernelInits(minimalSpec({ added: ['init D kaiming'] }))[1]).toEqual([{ kind: 'kaiming_normal', fanIn: 2 }, { kind: 'zeros' }]);
  });

  itRejects([
    ["init of no network", minimalSpec({ added: ['init X kaiming'] }),
      ["7:6: 'init' is for D or G, got 'X' (e.g. init D kaiming)"]],
    ["init twice for D", minimalSpec({ added: ['init D kaiming', 'init D xavier'] }),
      ["8:1: duplicate init for D: the first is at line 7"]],
    ["unknown scheme", minimalSpec({ added: ['init G he'] }),
      ["7:8: unknown init scheme 'he': expected kaiming, xavier, normal or orthogonal"]],
    ["normal std 0", minimalSpec({ added: ['init G normal 0'] }),
      ["7:15: the standard deviation must be greater than 0, got 0"]],
    ["orthogonal with a gain", minimalSpec({ added: ['init G orthogonal 2'] }),
      ["7:19: 'init orthogonal' takes no value, got 1"]],
    ["init without a scheme", minimalSpec({ added: ['init G'] }),
      ["7:7: expected a name in an 'init' statement, found end of line"]],
  ]);
});

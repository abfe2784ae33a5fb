// The train rule alone: the training loop's settings. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('train rule', () => {
  it('has defaults without a train statement', () => {
    expect(irOf(minimalSpec()).train).toEqual({
      steps: 10000, ndis: 1, ema: 0, seed: 0, logEvery: 10, sampleEvery: 500, checkpointEvery: 1000, evalEvery: 1000,
    });
  });
  it('reads every option', () => {
    expect(irOf(minimalSpec({ added: ['train steps 5 ndis 2 ema 0.999 seed 7 log 1 sample 2 checkpoint 3 eval 4'] })).train)
      .toEqual({ steps: 5, ndis: 2, ema: 0.999, seed: 7, logEvery: 1, sampleEvery: 2, checkpointEvery: 3, evalEvery: 4 });
  });

  itRejects([
    // A misspelt option is no keyword: it is named as an unknown option with the nearest one, wherever it stands.
    ["misspelt option first", minimalSpec({ added: ['train step 40'] }),
      ["7:7: unknown option 'step' of 'train' (did you mean 'steps'?)"]],
    ["misspelt option after another's value", minimalSpec({ added: ['train steps 40 sed 1'] }),
      ["7:16: unknown option 'sed' of 'train' (did you mean 'seed'?)"]],
    ["unknown option far from any", minimalSpec({ added: ['train epochs 3'] }),
      ["7:7: unknown option 'epochs' of 'train': expected 'steps', 'ndis', 'ema', 'seed', 'log', 'sample', 'checkpoint' or 'eval'"]],
    ["train window", minimalSpec({ added: ['train steps 10 window 2'] }),
      ["7:16: 'train' has no option 'window': expected 'steps', 'ndis', 'ema', 'seed', 'log', 'sample', 'checkpoint' or 'eval'"]],
    ["huge number", minimalSpec({ added: ['train steps 1e999'] }),
      ["7:13: number 1e999 is too large"]],
    ["ema 1", minimalSpec({ added: ['train ema 1'] }),
      ["7:11: ema must be in [0, 1), got 1"]],
    ["seed -1", minimalSpec({ added: ['train seed -1'] }),
      ["7:12: seed must be at least 0, got -1"]],
  ]);
});

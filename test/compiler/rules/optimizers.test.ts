// The optimizers rule alone: one optimizer per network, Adam by default. Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

const CONSTANT = { decay: 'none', warmup: 0, steps: 10000 };

describe('optimizers rule', () => {
  it('gives each network Adam(2e-4, 0.5, 0.999, 1e-8) by default', () => {
    const adam = { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, schedule: CONSTANT };
    expect(irOf(minimalSpec()).optimizers).toEqual({ D: adam, G: adam });
  });
  it('reads each network\'s optimizer and options, with PyTorch\'s defaults for the rest', () => {
    expect(irOf(minimalSpec({ added: ['optimizer D sgd lr 0.1 momentum 0.9', 'optimizer G rmsprop decay 0.9'] })).optimizers)
      .toEqual({
        D: { kind: 'sgd', lr: 0.1, momentum: 0.9, schedule: CONSTANT },
        G: { kind: 'rmsprop', lr: 2e-4, decay: 0.9, eps: 1e-8, schedule: CONSTANT },
      });
  });

  itRejects([
    ["misspelt betas after lr", minimalSpec({ added: ['optimizer D adam lr 2e-4 beta 0.0 0.9'] }),
      ["7:26: unknown option 'beta' of 'optimizer adam' (did you mean 'betas'?)"]],
    ["misspelt betas first", minimalSpec({ added: ['optimizer D adam beta 0.0 0.9'] }),
      ["7:18: unknown option 'beta' of 'optimizer adam' (did you mean 'betas'?)"]],
    ["misspelt momentum of sgd", minimalSpec({ added: ['optimizer G sgd lr 0.1 momentun 0.9'] }),
      ["7:24: unknown option 'momentun' of 'optimizer sgd' (did you mean 'momentum'?)"]],
    ["unknown optimizer", minimalSpec({ added: ['optimizer D adamw'] }),
      ["7:13: unknown optimizer 'adamw' (did you mean 'adam'?)"]],
    ["optimizer network", minimalSpec({ added: ['optimizer X adam'] }),
      ["7:11: an optimizer is for D or G, got 'X'"]],
    ["betas one value", minimalSpec({ added: ['optimizer D adam betas 0.5'] }),
      ["7:18: 'betas' takes 2 values, got 1"]],
    ["adam momentum", minimalSpec({ added: ['optimizer D adam momentum 0.9'] }),
      ["7:18: 'optimizer adam' has no option 'momentum': expected 'lr', 'betas', 'eps', 'decay' or 'warmup'"]],
    ["duplicate optimizer", minimalSpec({ added: ['optimizer D adam', 'optimizer D sgd'] }),
      ["8:1: duplicate optimizer for D: the first is at line 7"]],
    ["lr negative", minimalSpec({ added: ['optimizer G adam lr -1'] }),
      ["7:21: lr must be greater than 0, got -1"]],
    ["beta 1", minimalSpec({ added: ['optimizer G adam betas 0.5 1'] }),
      ["7:28: beta2 must be in [0, 1), got 1"]],
  ]);
});

describe('optimizers rule: learning-rate schedules', () => {
  it('reads decay linear and warmup for every optimizer; rmsprop\'s numeric decay stays its smoothing constant', () => {
    const { D, G } = irOf(minimalSpec({ added: [
      'optimizer D adam lr 2e-4 betas 0 0.9 decay linear warmup 100', 'optimizer G rmsprop decay 0.9 decay linear',
    ] })).optimizers;
    expect(D).toEqual({
      kind: 'adam', lr: 2e-4, beta1: 0, beta2: 0.9, eps: 1e-8, schedule: { decay: 'linear', warmup: 100, steps: 10000 },
    });
    expect(G).toEqual({ kind: 'rmsprop', lr: 2e-4, decay: 0.9, eps: 1e-8, schedule: { decay: 'linear', warmup: 0, steps: 10000 } });
    expect(irOf(minimalSpec({ added: ['optimizer D sgd warmup 5 decay none'] })).optimizers.D)
      .toEqual({ kind: 'sgd', lr: 2e-4, momentum: 0, schedule: { decay: 'none', warmup: 5, steps: 10000 } });
  });
  it('spans the spec\'s train steps, whichever line comes first', () => {
    const { D, G } = irOf(minimalSpec({ added: ['optimizer D adam decay linear', 'train steps 500'] })).optimizers;
    expect([D.schedule, G.schedule]).toEqual([{ decay: 'linear', warmup: 0, steps: 500 }, { decay: 'none', warmup: 0, steps: 500 }]);
  });

  itRejects([
    ["unknown decay", minimalSpec({ added: ['optimizer D adam decay cosine'] }),
      ["7:24: unknown learning-rate decay 'cosine': expected none or linear"]],
    ["numeric decay of adam", minimalSpec({ added: ['optimizer D adam decay 0.5'] }),
      ["7:24: decay is the learning-rate schedule: 'decay linear' (to 0 at the last step) or 'decay none'"]],
    ["negative warmup", minimalSpec({ added: ['optimizer G sgd warmup -1'] }),
      ["7:24: warmup must be at least 0, got -1"]],
    ["schedule twice", minimalSpec({ added: ['optimizer D adam decay linear decay none'] }),
      ["7:31: option 'decay' is given twice"]],
    ["warmup as long as the run", minimalSpec({ added: ['optimizer D adam warmup 100', 'train steps 100'] }),
      ["7:25: warmup 100 must be shorter than the run (train steps 100)"]],
  ]);
});

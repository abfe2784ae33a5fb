// The augment rule alone: the augmentation T of cr/bcr and DiffAugment. Added lines start at 9.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec } from './minimal-spec.js';

const image = (...added: string[]): string => minimalSpec({ added }, IMAGE_PARTS);

describe('augment rule', () => {
  it('is absent without an augment statement', () => expect(irOf(image()).augment).toBeUndefined());
  it('reads the operations in order, with their ratios, and diff', () => {
    expect(irOf(image('augment flip, translate 0.125, cutout 0.5, color diff')).augment).toEqual({
      ops: [{ kind: 'flip' }, { kind: 'translate', ratio: 0.125 }, { kind: 'cutout', ratio: 0.5 }, { kind: 'color' }],
      diff: true,
    });
    expect(irOf(image('augment color')).augment).toEqual({ ops: [{ kind: 'color' }], diff: false });
  });

  itRejects([
    ['an unknown operation', image('augment flip, rotate 0.1'),
      ["9:15: unknown augmentation 'rotate': expected flip, translate, cutout or color"]],
    ['a misspelt operation', image('augment translat 0.125'),
      ["9:9: unknown augmentation 'translat' (did you mean 'translate'?)"]],
    ['translate without its ratio', image('augment translate'),
      ["9:9: 'translate' takes one argument (its ratio of the image side, e.g. translate 0.125), got 0"]],
    ['a ratio out of range', image('augment cutout 2'), ['9:16: the cutout ratio must be in (0, 1], got 2']],
    ['an operation twice', image('augment flip, flip'), ["9:15: 'flip' is given twice in 'augment'"]],
    ['an unknown option', image('augment flip window 2'), ["9:14: 'augment' has no option 'window': expected 'diff'"]],
    ['cr without augment', image('reg 10 * cr'),
      ["9:5: 'cr' needs the augmentation T: add an 'augment' statement (augment flip, translate 0.125)"]],
    ['D(real_aug) without augment', image('reg mean(D(real_aug))'),
      ["9:5: 'real_aug' needs the augmentation T: add an 'augment' statement (augment flip, translate 0.125)"]],
    ['augment on 2-D points', minimalSpec({ added: ['augment flip'] }),
      ["7:1: 'augment' works on images [H, W, C], but the data's samples are [2]"]],
  ]);
});

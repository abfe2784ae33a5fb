// The checker as a whole, beyond any one rule: syntax errors stop before it, one pass reports every
// rule's problems sorted by position, and an error already reported stays silent where it is used. Each
// rule alone is tested in test/compiler/rules/. Added lines of the minimal spec start at line 7.
import { IR_VERSION } from '../../src/ir/ir.js';
import { describe, expect, it } from 'vitest';
import { irOf, itRejects, minimalSpec } from './rules/minimal-spec.js';

describe('checker', () => {
  it('checks the minimal spec to an IR', () => expect(irOf(minimalSpec()).irVersion).toBe(IR_VERSION));

  describe('syntax errors stop before checking', () => {
    itRejects([
      ["syntax let", minimalSpec({ added: ['let a 3'] }),
        ["7:7: expected '=' in a 'let' statement, found '3'"]],
      ["syntax reg", minimalSpec({ added: ['reg (gp'] }),
        ["7:8: expected ')', found end of line"]],
      ["syntax two", minimalSpec({ added: ['loss', 'reg * gp'] }),
        ["7:5: expected a name in the 'loss' statement, found end of line", "8:5: expected a number or an expression, found '*'"]],
      ["keyword as layer", minimalSpec({ generator: ['generator', '  batch'] }),
        ["4:3: 'batch' cannot start a line: expected a layer or a statement (gan, data, latent, generator, discriminator, normalize, loss, let, reg, clip, optimizer, train, augment or init)"]],
      ["unexpected character", minimalSpec({ generator: ['generator', '  relu @'] }),
        ["4:8: unexpected character '@'"]],
      ["unterminated string", minimalSpec({ data: ['data folder "imgs size 32'] }),
        ["1:13: unterminated string: add the closing '\"' on the same line"]],
      ["deep nesting", minimalSpec({ added: [`reg ${'('.repeat(500)}gp${')'.repeat(500)}`] }),
        ["7:69: expression nested too deeply: at most 64 levels of parentheses"]],
      ["stray line", minimalSpec({ added: ['clip 0.1', ') gp'] }),
        ["8:1: ')' cannot start a line: expected a statement (gan, data, latent, generator, discriminator, normalize, loss, let, reg, clip, optimizer, train, augment or init)"]],
      ["misspelt statement at the top", minimalSpec({ data: ['gann toy', 'data ring8'] }),
        ["1:1: unknown statement 'gann' (did you mean 'gan'?)"]],
      ["layer outside a block", minimalSpec({ added: ['clip 0.1', '  relu'] }),
        ["8:3: 'relu' cannot start a line here: layers go in a generator or discriminator block, and a statement starts with gan, data, latent, generator, discriminator, normalize, loss, let, reg, clip, optimizer, train, augment or init"]],
      ["a syntax error hides checking errors", minimalSpec({ data: ['data mnsit'], added: ['let a 3'] }),
        ["7:7: expected '=' in a 'let' statement, found '3'"]],
    ]);
  });

  describe('several rules at once', () => {
    itRejects([
      ["one problem of each of several rules, in source order",
        minimalSpec({ data: ['data mnsit'], added: ['clip 0', 'loss hinj', 'optimizer X adam'] }),
        ["1:6: unknown data set 'mnsit' (did you mean 'mnist'?)", "7:6: clip must be greater than 0, got 0",
          "8:6: unknown loss 'hinj' (did you mean 'hinge'?)", "9:11: an optimizer is for D or G, got 'X'"]],
      ["a rule reports at its place even when a later statement's rule ran first",
        minimalSpec({ added: ['train seed -1', 'let a = 1', 'let a = 2'] }),
        ["7:12: seed must be at least 0, got -1", "9:5: duplicate let 'a': it is already defined at line 8"]],
      ["a bad let is reported once, not at each use",
        minimalSpec({ added: ['let width = 1 / 0', 'reg width * gp', 'train steps width'] }),
        ["7:13: this value is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
      ["a bad latent stops G's shapes, not D's",
        minimalSpec({ latent: ['latent gauss 2'], discriminator: ['discriminator', '  dense 2'] }),
        ["2:8: unknown latent distribution 'gauss': expected normal or uniform", "6:3: the discriminator's output is [2] but must be [1] (one number per sample): end it with 'dense 1'"]],
      ["a bad data set stops D's shapes and the check of G's output",
        minimalSpec({ data: ['data mnsit'], generator: ['generator', '  dense 3'], discriminator: ['discriminator', '  conv 8'] }),
        ["1:6: unknown data set 'mnsit' (did you mean 'mnist'?)"]],
    ]);
  });
});

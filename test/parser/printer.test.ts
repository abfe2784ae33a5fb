// The formatter: canonical, idempotent, and faithful (parsing its output gives the same AST).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, print } from '../../src/parser/index.js';
import { specFiles } from '../../scripts/golden-specs.js';
import { parseClean, withoutLocations } from './helpers.js';

const fmt = (text: string): string => print(parseClean(text));

describe('printer on every spec', () => {
  it.each(specFiles())('%s: round trip and idempotence', (spec) => {
    const text = readFileSync(spec, 'utf8');
    const ast = parseClean(text);
    const once = print(ast);
    expect(withoutLocations(parseClean(once))).toEqual(withoutLocations(ast));
    expect(fmt(once)).toBe(once);
  });

  it('changes the specs only in expression spacing', () => {
    for (const spec of specFiles()) {
      const text = readFileSync(spec, 'utf8');
      const squeeze = (s: string): string => s.replace(/ /g, '');
      expect(squeeze(fmt(text))).toBe(squeeze(text));
    }
  });
});

describe('canonical form', () => {
  it('lays out statements, layers, blank lines and comments', () => {
    const messy = [
      '  # the name',
      'gan   x   # trailing',
      'data mnist    batch 64',
      '',
      '',
      'generator',
      'dense 7*7*8',
      '      # a layer comment',
      '   reshape 7 7 8',
      'discriminator',
      '  flatten',
      'loss hinge',
      'reg lambda*R_t^3 window 2',
      'let lambda=100',
      '# the end',
    ].join('\n');
    expect(fmt(messy)).toBe([
      '# the name',
      'gan x  # trailing',
      'data mnist batch 64',
      '',
      'generator',
      '  dense 7 * 7 * 8',
      '  # a layer comment',
      '  reshape 7 7 8',
      '',
      'discriminator',
      '  flatten',
      '',
      'loss hinge',
      'reg lambda * R_t ^ 3 window 2',
      'let lambda = 100',
      '# the end',
      '',
    ].join('\n'));
  });

  it.each([
    ['reg (a + b) * c', 'reg (a + b) * c'],
    ['reg a - (b - c)', 'reg a - (b - c)'],
    ['reg (a - b) - c', 'reg a - b - c'],
    ['reg (2 ^ 3) ^ 2', 'reg (2 ^ 3) ^ 2'],
    ['reg 2 ^ (3 ^ 2)', 'reg 2 ^ 3 ^ 2'],
    ['reg (-x) ^ 2', 'reg (-x) ^ 2'],
    ['reg -(x ^ 2)', 'reg -x ^ 2'],
    ['reg 2 ^ (-1)', 'reg 2 ^ -1'],
    ['reg -(a + b)', 'reg -(a + b)'],
    ['reg mean( norm( grad( D , real ) ) )', 'reg mean(norm(grad(D, real)))'],
    ['generator\n  reshape 7 (-7) 1', 'generator\n  reshape 7 (-7) 1'],
    ['generator\n  reshape (a) ((1 + 2) * 3)', 'generator\n  reshape (a) (1 + 2) * 3'],
    ['generator\n  reshape 2e5 (-1)', 'generator\n  reshape 2e5 (-1)'],
    ['generator\n  reshape (r1) (-1)', 'generator\n  reshape (r1) (-1)'],
    ['optimizer D adam betas 0.0 0.9', 'optimizer D adam betas 0.0 0.9'],
    ['data folder "my data" size 32 flip', 'data folder "my data" size 32 flip'],
    ['reg cubic=lambda*R_t^3 window 2', 'reg cubic = lambda * R_t ^ 3 window 2'],
    ['data mnist - idx "digits"', 'data mnist-idx "digits"'],
    ['data folder "faces" size 32 labels from - subfolders', 'data folder "faces" size 32 labels from-subfolders'],
    // A spec that parses but does not check is formatted as written, unknown options included.
    ['train step 40 seed 1', 'train step 40 seed 1'],
  ])('%j', (input, expected) => {
    const printed = fmt(`${input}\n`);
    expect(printed).toBe(`${expected}\n`);
    expect(withoutLocations(parseClean(printed))).toEqual(withoutLocations(parseClean(`${input}\n`)));
    expect(fmt(printed)).toBe(printed);
  });

  it('prints an empty file as empty', () => {
    expect(print(parse('# only\n', 't.gan').ast)).toBe('# only\n');
    expect(print(parse('', 't.gan').ast)).toBe('');
  });
});

// The parser: what the AST of a line is, where its nodes are, and what syntax errors say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { createLexer } from '../../src/parser/lexer.js';
import { GancParser } from '../../src/parser/parser.js';
import type { Expression, LetStatement, NetworkStatement, RegStatement } from '../../src/parser/ast.js';
import { printExpression } from '../../src/parser/printer.js';
import { specFiles } from '../../scripts/golden-specs.js';
import { parseClean, withoutLocations } from './helpers.js';

const formulaOf = (text: string): Expression => (parseClean(`reg ${text}\n`).statements[0] as RegStatement).formula;
/** Fully parenthesised, to show the tree's structure. */
function shape(e: Expression): string {
  switch (e.kind) {
    case 'Number': return e.raw;
    case 'Name': return e.name;
    case 'Neg': return `(-${shape(e.arg)})`;
    case 'Binary': return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'Call': return `${e.callee.name}(${e.args.map(shape).join(', ')})`;
  }
}

describe('grammar', () => {
  it('passes Chevrotain\'s own grammar and token validations', () => {
    expect(() => new GancParser({ validate: true })).not.toThrow();
    expect(createLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
  });

  it.each(specFiles())('parses %s without diagnostics', (spec) => {
    expect(parse(readFileSync(spec, 'utf8'), spec).diagnostics).toEqual([]);
  });
});

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b * c', '((a / b) * c)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-x ^ 2', '(-(x ^ 2))'],
    ['2 ^ -1', '(2 ^ (-1))'],
    ['-a * b', '((-a) * b)'],
    ['lambda*R_t^3', '(lambda * (R_t ^ 3))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['mean(norm(grad(D, real)) ^ 2)', 'mean((norm(grad(D, real)) ^ 2))'],
    ['log(1 + x)', 'log((1 + x))'],
    ['.5e-3 + 2E4', '(.5e-3 + 2E4)'],
  ])('%s reads as %s', (text, expected) => {
    expect(shape(formulaOf(text))).toBe(expected);
  });

  it('keeps numbers as written and as values', () => {
    const e = formulaOf('2e-4');
    expect(e).toMatchObject({ kind: 'Number', raw: '2e-4', value: 2e-4 });
  });

  it('reads `log` as a function before `(` and as the train option elsewhere', () => {
    const ast = parseClean('train steps 10 log 5\nreg log(2) * gp\n');
    expect(ast.statements[0]).toMatchObject({ kind: 'Train', options: [{ name: 'steps' }, { name: 'log' }] });
    expect(shape((ast.statements[1] as RegStatement).formula)).toBe('(log(2) * gp)');
  });
});

describe('statements', () => {
  it('reads a network block with its layers, arguments and options', () => {
    const ast = parseClean('discriminator\n  conv 64 kernel 4 stride 2 padding valid\n  lrelu 0.1\n  flatten\n');
    const net = ast.statements[0] as NetworkStatement;
    expect(net.network).toBe('discriminator');
    expect(net.layers.map((l) => l.name.name)).toEqual(['conv', 'lrelu', 'flatten']);
    expect(withoutLocations(net.layers[0].options)).toEqual([
      { kind: 'Option', name: 'kernel', values: [{ kind: 'Number', value: 4, raw: '4' }] },
      { kind: 'Option', name: 'stride', values: [{ kind: 'Number', value: 2, raw: '2' }] },
      { kind: 'Option', name: 'padding', values: [{ kind: 'Name', name: 'valid' }] },
    ]);
  });

  it('reads a named reg: the name, then the formula and options', () => {
    const reg = parseClean('reg cubic = lambda*R_t^3 window 2\n').statements[0] as RegStatement;
    expect(reg.name).toMatchObject({ kind: 'Identifier', name: 'cubic', loc: { line: 1, col: 5 } });
    expect(shape(reg.formula)).toBe('(lambda * (R_t ^ 3))');
    expect(reg.options.map((o) => o.name)).toEqual(['window']);
    expect((parseClean('reg lambda*R_t\n').statements[0] as RegStatement).name).toBeUndefined();
  });

  it('reads a name where a statement\'s options go as an unknown option, for the checker to name', () => {
    const ast = parseClean('train step 40 seed 1\noptimizer D adam beta 0.0 0.9\nreg gp windw 2\n');
    expect(ast.statements.map((s) => withoutLocations((s as { options: unknown }).options))).toEqual([
      [{ kind: 'UnknownOption', name: 'step', values: [{ kind: 'Number', value: 40, raw: '40' }] },
        { kind: 'Option', name: 'seed', values: [{ kind: 'Number', value: 1, raw: '1' }] }],
      [{ kind: 'UnknownOption', name: 'beta', values: [{ kind: 'Number', value: 0, raw: '0.0' }, { kind: 'Number', value: 0.9, raw: '0.9' }] }],
      [{ kind: 'UnknownOption', name: 'windw', values: [{ kind: 'Number', value: 2, raw: '2' }] }],
    ]);
  });

  it('reads a hyphenated data set name as one name', () => {
    const data = parseClean('data mnist-idx "digits" batch 32\n').statements[0];
    expect(data).toMatchObject({ kind: 'Data', source: { name: 'mnist-idx', loc: { col: 6, endCol: 14 } }, path: { value: 'digits' } });
  });

  it('gives every node its source location', () => {
    const ast = parseClean('gan x\n\nlet lambda = 2 * 50\nreg lambda*R_t^3 window 2\n');
    const letStatement = ast.statements[1] as LetStatement;
    expect(letStatement.loc).toEqual({ line: 3, col: 1, endLine: 3, endCol: 19, offset: 7 });
    expect(letStatement.name.loc).toMatchObject({ line: 3, col: 5, endCol: 10 });
    const reg = ast.statements[2] as RegStatement;
    expect(reg.formula.loc).toMatchObject({ line: 4, col: 5, endCol: 16 });
    expect(reg.options[0].loc).toMatchObject({ line: 4, col: 18, endCol: 25 });
    expect(printExpression(reg.formula)).toBe('lambda * R_t ^ 3');
  });

  it('accepts a last line without a newline, blank lines, comments and Windows line ends', () => {
    const ast = parseClean('# spec\r\ngan x\r\n\r\n\r\nloss hinge  # why\r\ntrain');
    expect(ast.statements.map((s) => s.kind)).toEqual(['Gan', 'Loss', 'Train']);
  });

  it('keeps comments with the statement or layer they belong to', () => {
    const ast = parseClean('# about x\ngan x  # the name\ngenerator\n  # first layer\n  dense 2  # units\n# tail\n');
    expect(ast.statements[0]).toMatchObject({ comments: ['# about x'], trailingComment: '# the name' });
    const net = ast.statements[1] as NetworkStatement;
    expect(net.layers[0]).toMatchObject({ comments: ['# first layer'], trailingComment: '# units' });
    expect(ast.trailingComments).toEqual(['# tail']);
  });
});

describe('syntax errors', () => {
  const errors = (text: string): string[] => parse(text, 't.gan').diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);

  it('reports every syntax error of a file, each where it is', () => {
    const text = [
      'gan x y',
      'let lambda 100',
      'generator',
      '  dense 7*',
      '  conv 64 kernel 4 @ stride 2',
      'loss',
      'reg 2 * log',
      'data folder "abc',
    ].join('\n');
    expect(errors(text)).toEqual([
      "1:7: expected end of line, found 'y'",
      "2:12: expected '=' in a 'let' statement, found '100'",
      '4:11: expected a number or an expression, found end of line',
      "5:20: unexpected character '@'",
      "6:5: expected a name in the 'loss' statement, found end of line",
      "7:9: expected a number or an expression, found 'log'",
      "8:13: unterminated string: add the closing '\"' on the same line",
    ]);
  });

  it('steps over lines that belong nowhere and goes on reporting', () => {
    const text = ['gan x', 'kernel 3', 'optimiser D adam', 'let a 3', 'generator', '  dense 2', '  ) oops', '  relu', 'reg (gp'];
    const { ast, diagnostics } = parse(text.join('\n'), 't.gan');
    const statementWords = 'gan, data, latent, generator, discriminator, normalize, loss, let, reg, clip, optimizer, train, augment or init';
    expect(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([
      `2:1: 'kernel' cannot start a line: expected a statement (${statementWords})`,
      "3:1: unknown statement 'optimiser' (did you mean 'optimizer'?)",
      "4:7: expected '=' in a 'let' statement, found '3'",
      `7:3: ')' cannot start a line: expected a layer or a statement (${statementWords})`,
      "9:8: expected ')', found end of line",
    ]);
    const generator = ast.statements.find((st) => st.kind === 'Network') as NetworkStatement;
    expect(generator.layers.map((l) => l.name.name)).toEqual(['dense', 'relu']);
  });

  it('keeps what it could read around the errors', () => {
    const { ast } = parse('gan x\nlet a 1\nloss hinge\n', 't.gan');
    expect(ast.statements.map((s) => s.kind)).toEqual(['Gan', 'Loss']);
  });

  it.each([
    ['generator\n  dense (2\n', "2:11: expected ')', found end of line"],
    ['normalize D\n', "1:12: expected a name in the 'normalize' statement, found end of line"],
    ['optimizer D\n', "1:12: expected a name in an 'optimizer' statement, found end of line"],
    ['reg mean(D(real),)\n', "1:18: expected a number or an expression, found ')'"],
    ['kernel 3\n', "1:1: 'kernel' cannot start a line: expected a statement (gan, data, latent, generator, "
      + 'discriminator, normalize, loss, let, reg, clip, optimizer, train, augment or init)'],
    ['gan\n', "1:4: expected a name in the 'gan' statement, found end of line"],
    ['latent normal\n', '1:14: expected a number or an expression, found end of line'],
    [`reg ${'('.repeat(65)}1${')'.repeat(65)}\n`, '1:69: expression nested too deeply: at most 64 levels of parentheses'],
  ])('%j', (text, expected) => {
    expect(errors(text)[0]).toBe(expected);
  });
});

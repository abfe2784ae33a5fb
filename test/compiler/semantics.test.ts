// What the checker puts in the IR: defaults, shapes, the parameter table, typed formulas and their needs.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { ConvLayer, DeconvLayer, Expr, GanIR, ParamSpec } from '../../src/ir/ir.js';
import { appendLines, MNIST, replaceLine, TOY } from './fixtures.js';

function compile(text: string, file = 'specs/t.gan'): GanIR {
  const { ir, diagnostics } = compileSource(text, file);
  if (!ir) throw new Error(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  return ir;
}

const params = (ir: GanIR): ParamSpec[] =>
  [ir.generator, ir.discriminator].flatMap((n) => n.layers.flatMap((l) => l.params));
const param = (ir: GanIR, name: string): ParamSpec | undefined => params(ir).find((p) => p.name === name);

describe('defaults', () => {
  it('fills in every default of the language reference', () => {
    const ir = compile(replaceLine(replaceLine(replaceLine(TOY, 1, ''), 15, ''), 16, ''), 'specs/toy-spec.gan');
    expect(ir.name).toBe('toy-spec');
    expect(ir.loss).toBe('nonsaturating');
    expect(ir.normalize).toBe('none');
    expect(ir.clip).toBeNull();
    expect(ir.constants).toEqual({});
    expect(ir.regularizers).toEqual([]);
    expect(ir.optimizers).toEqual({
      D: { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, schedule: { decay: 'none', warmup: 0, steps: 10000 } },
      G: { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, schedule: { decay: 'none', warmup: 0, steps: 10000 } },
    });
    expect(ir.train).toEqual({
      steps: 10000, ndis: 1, ema: 0, seed: 0, logEvery: 10, sampleEvery: 500, checkpointEvery: 1000, evalEvery: 1000,
    });
    expect(ir.data).toEqual({ kind: 'ring8', batch: 8, fraction: 1, shape: [2] });
  });

  it('defaults sgd and rmsprop to PyTorch\'s settings', () => {
    const ir = compile(appendLines(TOY, 'optimizer D sgd lr 0.01', 'optimizer G rmsprop'));
    expect(ir.optimizers.D).toEqual({ kind: 'sgd', lr: 0.01, momentum: 0, schedule: { decay: 'none', warmup: 0, steps: 10 } });
    expect(ir.optimizers.G).toEqual({ kind: 'rmsprop', lr: 2e-4, decay: 0.99, eps: 1e-8, schedule: { decay: 'none', warmup: 0, steps: 10 } });
  });

  it('reads every train option', () => {
    const ir = compile(replaceLine(TOY, 16, 'train steps 5 ndis 2 ema 0.999 seed 7 log 1 sample 2 checkpoint 3 eval 4'));
    expect(ir.train).toEqual({
      steps: 5, ndis: 2, ema: 0.999, seed: 7, logEvery: 1, sampleEvery: 2, checkpointEvery: 3, evalEvery: 4,
    });
  });

  it('gives a folder data set its shape, path and flip', () => {
    const spec = replaceLine(replaceLine(MNIST, 2, 'data folder "faces/" size 28 channels 1 flip fraction 0.5'), 10, '  deconv 1 kernel 4 stride 2');
    expect(compile(spec).data).toEqual({ kind: 'folder', batch: 64, fraction: 0.5, shape: [28, 28, 1], path: 'faces/', flip: true });
    const rgb = compile(replaceLine(replaceLine(MNIST, 2, 'data folder "x" size 28'), 10, '  deconv 3 kernel 4 stride 2'));
    expect(rgb.data).toMatchObject({ shape: [28, 28, 3], flip: false });
  });
});

describe('shapes', () => {
  it('infers NHWC shapes through conv, deconv, reshape and flatten', () => {
    const ir = compile(MNIST);
    expect(ir.generator.layers.map((l) => l.outShape)).toEqual([[392], [7, 7, 8], [14, 14, 4], [14, 14, 4], [28, 28, 1], [28, 28, 1]]);
    expect(ir.discriminator.layers.map((l) => l.outShape)).toEqual([[14, 14, 8], [14, 14, 8], [7, 7, 16], [784], [1]]);
    expect(ir.discriminator.inShape).toEqual([28, 28, 1]);
    expect(ir.generator.inShape).toEqual([32]);
  });

  it('uses ceil(H/S) for same and ceil((H-K+1)/S) for valid convolutions', () => {
    const ir = compile(replaceLine(replaceLine(MNIST, 14, '  conv 8 kernel 5 stride 3 padding valid'), 16, '  conv 16 stride 3'));
    const [first, , second] = ir.discriminator.layers as ConvLayer[];
    expect(first.outShape).toEqual([8, 8, 8]);
    expect(second).toMatchObject({ kernel: 3, stride: 3, padding: 'same', outShape: [3, 3, 16] });
  });

  it('uses (H-1)*S+K for valid transposed convolutions', () => {
    const spec = replaceLine(replaceLine(MNIST, 8, '  deconv 4 kernel 2 stride 2 padding valid'), 10, '  deconv 1 kernel 4 stride 2');
    expect((compile(spec).generator.layers[2] as DeconvLayer).outShape).toEqual([14, 14, 4]);
  });

  it('accepts let constants anywhere a number goes, in any order', () => {
    const ir = compile(appendLines(replaceLine(TOY, 6, '  dense width * 2'), 'let width = 8', 'let half = width / 2'));
    expect(ir.generator.layers[0]).toMatchObject({ kind: 'dense', units: 16 });
    expect(ir.constants).toEqual({ width: 8, half: 4 });
  });

  it('fills layer defaults', () => {
    const ir = compile(replaceLine(replaceLine(MNIST, 9, '  batchnorm'), 15, '  lrelu'));
    expect(ir.generator.layers[3]).toMatchObject({ kind: 'batchnorm', eps: 1e-5, momentum: 0.1 });
    expect(ir.discriminator.layers[1]).toMatchObject({ kind: 'lrelu', alpha: 0.2 });
  });
});

describe('parameter table', () => {
  it('names, shapes, layouts and initialises dense and conv parameters', () => {
    const ir = compile(MNIST);
    expect(param(ir, 'G.0.dense.kernel')).toEqual({
      name: 'G.0.dense.kernel', role: 'kernel', shape: [32, 392], layout: ['in', 'out'], trainable: true,
      init: { kind: 'uniform_fan_in', fanIn: 32 },
    });
    expect(param(ir, 'D.0.conv.kernel')).toMatchObject({ shape: [4, 4, 1, 8], layout: ['kh', 'kw', 'in', 'out'], init: { fanIn: 16 } });
    expect(param(ir, 'D.0.conv.bias')).toMatchObject({ shape: [8], layout: ['out'], init: { fanIn: 16 } });
    // Transposed convolution: [kh, kw, out, in]; fanIn as PyTorch computes it for ConvTranspose2d (out·kh·kw).
    expect(param(ir, 'G.2.deconv.kernel')).toMatchObject({ shape: [4, 4, 4, 8], layout: ['kh', 'kw', 'out', 'in'], init: { fanIn: 64 } });
    expect(params(ir).filter((p) => p.name.includes('relu') || p.name.includes('flatten'))).toEqual([]);
  });

  it('gives batch norm gamma, beta and its running statistics', () => {
    const ir = compile(replaceLine(MNIST, 9, '  batchnorm'));
    expect(ir.generator.layers[3].params.map((p) => [p.name, p.shape, p.trainable, p.init.kind])).toEqual([
      ['G.3.batchnorm.gamma', [4], true, 'ones'],
      ['G.3.batchnorm.beta', [4], true, 'zeros'],
      ['G.3.batchnorm.running_mean', [4], false, 'zeros'],
      ['G.3.batchnorm.running_var', [4], false, 'ones'],
    ]);
  });

  it('adds a power-iteration vector to each D kernel with normalize D sn, and only then', () => {
    const ir = compile(appendLines(MNIST, 'normalize D sn'));
    const sn = params(ir).filter((p) => p.role === 'sn_u');
    expect(sn.map((p) => [p.name, p.shape, p.trainable, p.init.kind])).toEqual([
      ['D.0.conv.sn_u', [8], false, 'normal_unit'],
      ['D.2.conv.sn_u', [16], false, 'normal_unit'],
      ['D.4.dense.sn_u', [1], false, 'normal_unit'],
    ]);
    expect(params(compile(appendLines(MNIST, 'normalize D gn'))).some((p) => p.role === 'sn_u')).toBe(false);
  });
});

describe('regularizer formulas', () => {
  const reg = (formula: string) => compile(appendLines(TOY, 'let lambda = 100', `reg ${formula}`)).regularizers[0];
  const types = (e: Expr): string => {
    switch (e.op) {
      case 'num': return `${e.value}`;
      case 'const': return e.name;
      case 'term': return e.term;
      case 'D': return `D(${e.input}):${e.type}`;
      case 'grad': return `grad(${e.input}):${e.type}`;
      case 'neg': return `-(${types(e.arg)}):${e.type}`;
      case 'call': return `${e.fn}(${types(e.arg)}):${e.type}`;
      case 'reduce': return `${e.fn}(${types(e.arg)}):${e.type}`;
      case 'norm': return `norm(${types(e.arg)}):${e.type}`;
      default: return `${e.op}(${types(e.args[0])}, ${types(e.args[1])}):${e.type}`;
    }
  };

  it('types the design card\'s formula and prints it canonically', () => {
    const r = reg('lambda*R_t^3 window 2');
    expect(r).toMatchObject({ index: 0, text: 'lambda * R_t ^ 3', window: 2, needs: { gradInputs: ['real', 'fake'], dInputs: [], terms: ['R', 'R_t'] } });
    expect(r.formula).toEqual({
      op: 'mul', type: 'scalar', args: [
        { op: 'const', name: 'lambda', value: 100, type: 'scalar' },
        { op: 'pow', type: 'scalar', args: [{ op: 'term', term: 'R_t', type: 'scalar' }, { op: 'num', value: 3, type: 'scalar' }] },
      ],
    });
  });

  it('tracks scalar, batch and sample values through every operation', () => {
    expect(types(reg('mean((norm(grad(D, interp)) - 1) ^ 2)').formula))
      .toBe('mean(pow(sub(norm(grad(interp):sample):batch, 1):batch, 2):batch):scalar');
    expect(types(reg('sum(square(grad(D, real)) * 0.5)').formula))
      .toBe('sum(mul(square(grad(real):sample):sample, 0.5):sample):scalar');
    expect(types(reg('-mean(softplus(-D(fake)))').formula))
      .toBe('-(mean(softplus(-(D(fake):batch):batch):batch):scalar):scalar');
  });

  it('lists what each formula needs, its terms\' own needs included, in a fixed order', () => {
    expect(reg('mean(D(interp) * D(real)) + mean(norm(grad(D, fake))) + r1 + gp + l2').needs).toEqual({
      gradInputs: ['real', 'fake', 'interp'], dInputs: ['real', 'interp'], terms: ['gp', 'r1', 'l2'],
    });
    expect(reg('l2').needs).toEqual({ gradInputs: [], dInputs: [], terms: ['l2'] });
    expect(reg('r2 + R').needs).toEqual({ gradInputs: ['real', 'fake'], dInputs: [], terms: ['r2', 'R'] });
  });

  it('numbers regularizers in order and defaults the window to 1', () => {
    const ir = compile(appendLines(TOY, 'reg 10 * gp', 'reg 0.1 * r1', 'reg abs(R)'));
    expect(ir.regularizers.map((r) => [r.index, r.text, r.window])).toEqual([[0, '10 * gp', 1], [1, '0.1 * r1', 1], [2, 'abs(R)', 1]]);
  });
});

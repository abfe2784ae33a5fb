// The networks rule alone: each layer of the generator and the discriminator, their shapes and
// parameters. In the minimal spec the generator's layers start at line 4, the discriminator's at 6; in
// the image one at 4 and 7.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec } from './minimal-spec.js';

const dense = (network: 'G' | 'D', units: number, inputs: number) => ({
  index: 0, kind: 'dense', units, inShape: [inputs], outShape: [units],
  params: [
    { name: `${network}.0.dense.kernel`, role: 'kernel', shape: [inputs, units], layout: ['in', 'out'], trainable: true,
      init: { kind: 'uniform_fan_in', fanIn: inputs } },
    { name: `${network}.0.dense.bias`, role: 'bias', shape: [units], layout: ['out'], trainable: true,
      init: { kind: 'uniform_fan_in', fanIn: inputs } },
  ],
});

describe('networks rule', () => {
  it('builds G from the latent vector and D from a data sample, with shapes and parameters', () => {
    const ir = irOf(minimalSpec({ latent: ['latent normal 3'] }));
    expect(ir.generator).toEqual({ name: 'G', inShape: [3], outShape: [2], layers: [dense('G', 2, 3)] });
    expect(ir.discriminator).toEqual({ name: 'D', inShape: [2], outShape: [1], layers: [dense('D', 1, 2)] });
  });
  it('gives each of D\'s weights a power-iteration vector under spectral normalization', () => {
    const ir = irOf(minimalSpec({ added: ['normalize D sn'] }));
    expect(ir.discriminator.layers[0]!.params.at(-1)).toEqual({
      name: 'D.0.dense.sn_u', role: 'sn_u', shape: [1], layout: ['out'], trainable: false, init: { kind: 'normal_unit' },
    });
    expect(ir.generator.layers[0]!.params.map((p) => p.role)).toEqual(['kernel', 'bias']);
  });
  it('reads a let and a padding name as values, not as misspelt options', () => {
    const ir = irOf(minimalSpec({
      discriminator: ['discriminator', '  conv filters kernel k padding valid', '  flatten', '  dense 1'],
      added: ['let filters = 4', 'let k = 3'],
    }, IMAGE_PARTS));
    expect(ir.discriminator.layers[0]).toMatchObject({ kind: 'conv', filters: 4, kernel: 3, padding: 'valid' });
  });
  it('reads layer options and flows image shapes', () => {
    const ir = irOf(minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 5 stride 3 padding valid', '  flatten', '  dense 1'] }, IMAGE_PARTS));
    expect(ir.discriminator.layers[0]).toMatchObject({
      kind: 'conv', filters: 8, kernel: 5, stride: 3, padding: 'valid', inShape: [28, 28, 1], outShape: [8, 8, 8],
    });
    expect(ir.discriminator.layers.map((l) => l.outShape)).toEqual([[8, 8, 8], [512], [1]]);
  });

  itRejects([
    // A misspelt option word parses as one more argument or value; it is reported as the option it is.
    ["misspelt option as an argument", minimalSpec({ generator: ['generator', '  dense 784', '  reshape 7 7 16', '  deconv 1 kernal 4 stride 4'] }, IMAGE_PARTS),
      ["6:12: unknown option 'kernal' of 'deconv' (did you mean 'kernel'?)"]],
    ["misspelt option after an option's value", minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 4 strid 2', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:19: unknown option 'strid' of 'conv' (did you mean 'stride'?)"]],
    ["unknown word after a layer's arguments", minimalSpec({ discriminator: ['discriminator', '  conv 8 dilation 2', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:10: unknown option 'dilation' of 'conv': expected 'kernel', 'stride' or 'padding'"]],
    ["misspelt option of batchnorm", minimalSpec({ generator: ['generator', '  dense 2', '  batchnorm epss 1e-3'] }),
      ["5:13: unknown option 'epss' of 'batchnorm' (did you mean 'eps'?)"]],
    ["misspelt option and a missing argument", minimalSpec({ generator: ['generator', '  dense 784', '  reshape 7 7 16', '  deconv kernal 4'] }, IMAGE_PARTS),
      ["6:3: 'deconv' takes 1 argument (filters), got 0", "6:10: unknown option 'kernal' of 'deconv' (did you mean 'kernel'?)"]],
    ["unknown layer", minimalSpec({ generator: ['generator', '  relux'] }),
      ["4:3: unknown layer 'relux' (did you mean 'relu'?)"]],
    ["unknown layer far", minimalSpec({ generator: ['generator', '  zzzzzz'] }),
      ["4:3: unknown layer 'zzzzzz': expected dense, conv, deconv, reshape, flatten, batchnorm, relu, tanh, sigmoid or lrelu"]],
    ["misspelt statement after a block", minimalSpec({ added: ['optimiser D adam'] }),
      ["7:1: unknown layer 'optimiser' (did you mean the 'optimizer' statement?)"]],
    ["dense args", minimalSpec({ generator: ['generator', '  dense 16 32'] }),
      ["4:12: 'dense' takes 1 argument (units), got 2"]],
    ["dense no args", minimalSpec({ generator: ['generator', '  dense'] }),
      ["4:3: 'dense' takes 1 argument (units), got 0"]],
    ["relu args", minimalSpec({ generator: ['generator', '  relu 2'] }),
      ["4:8: 'relu' takes no arguments, got 1"]],
    ["reshape 4 args", minimalSpec({ generator: ['generator', '  reshape 7 7 8 1'] }),
      ["4:17: 'reshape' takes 1 to 3 arguments (sizes), got 4"]],
    ["lrelu 2 args", minimalSpec({ discriminator: ['discriminator', '  lrelu 0.2 0.3'] }),
      ["6:13: 'lrelu' takes at most 1 argument (negative slope), got 2"]],
    ["option on relu", minimalSpec({ generator: ['generator', '  relu kernel 3'] }),
      ["4:8: 'relu' has no option 'kernel': it takes no options"]],
    ["option on dense", minimalSpec({ generator: ['generator', '  dense 16 stride 2'] }),
      ["4:12: 'dense' has no option 'stride': it takes no options"]],
    ["option twice", minimalSpec({ generator: ['generator', '  deconv 4 kernel 4 kernel 3 stride 2'] }),
      ["4:21: option 'kernel' is given twice"]],
    ["batchnorm momentum 2", minimalSpec({ generator: ['generator', '  dense 2', '  batchnorm momentum 2'] }),
      ["5:22: momentum must be in [0, 1], got 2"]],
    ["dense rank 3", minimalSpec({ discriminator: ['discriminator', '  dense 10'] }, IMAGE_PARTS),
      ["7:3: dense needs a flat input [N], but its input is [28, 28, 1]: add 'flatten' before it"]],
    ["reshape mismatch", minimalSpec({ generator: ['generator', '  dense 2', '  reshape 7 7 16'] }),
      ["5:3: reshape to [7, 7, 16] (784 values) does not match its input [2] (2 values)"]],
    ["conv rank 1", minimalSpec({ discriminator: ['discriminator', '  conv 16'] }),
      ["6:3: conv needs an image input [H, W, C], but its input is [2]: add 'reshape' before it"]],
    ["conv valid too big", minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 40 padding valid'] }, IMAGE_PARTS),
      ["7:3: conv kernel 40 is larger than its input 28x28 (padding valid)"]],
    ["padding unknown", minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 4 stride 2 padding full'] }, IMAGE_PARTS),
      ["7:36: unknown padding 'full': expected same or valid"]],
    ["padding number", minimalSpec({ discriminator: ['discriminator', '  conv 8 kernel 4 stride 2 padding 1'] }, IMAGE_PARTS),
      ["7:36: padding must be 'same' or 'valid'"]],
    ["empty generator", minimalSpec({ generator: ['generator'] }),
      ["3:1: the generator has no layers: put one layer per line below 'generator'"]],
    ["zero units", minimalSpec({ generator: ['generator', '  dense 0'] }),
      ["4:9: units must be at least 1, got 0"]],
    ["negative units", minimalSpec({ generator: ['generator', '  dense -16'] }),
      ["4:9: units must be at least 1, got -16"]],
    ["fractional units", minimalSpec({ generator: ['generator', '  dense 16.5'] }),
      ["4:9: units must be a whole number, got 16.5"]],
    ["huge int", minimalSpec({ generator: ['generator', '  dense 3000000000'] }),
      ["4:9: units is too large: at most 2147483647, got 3000000000"]],
    ["div zero", minimalSpec({ generator: ['generator', '  dense 16 / 0'] }),
      ["4:9: this value is not a finite number (it overflows, divides by zero or leaves a function's domain)"]],
    ["term in layer", minimalSpec({ generator: ['generator', '  dense gp'] }),
      ["4:9: 'gp' is not a constant: it can only be used in a reg formula"]],
    ["fn in layer", minimalSpec({ generator: ['generator', '  dense mean(2)'] }),
      ["4:9: 'mean' cannot be used in a constant: only numbers, let names, + - * / ^ and the functions abs sin cos exp log sqrt square cube relu softplus tanh"]],
    ["shape errors stop at the first", minimalSpec({ discriminator: ['discriminator', '  conv 16', '  conv 16', '  relux'] }),
      ["6:3: conv needs an image input [H, W, C], but its input is [2]: add 'reshape' before it", "8:3: unknown layer 'relux' (did you mean 'relu'?)"]],
  ]);
});

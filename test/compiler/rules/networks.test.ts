// The networks rule alone: each layer of the generator and the discriminator, their shapes and
// parameters. In the minimal spec the generator's layers start at line 4, the discriminator's at 6; in
// the image one at 4 and 7.
import { describe, expect, it } from 'vitest';
import { IMAGE_PARTS, irOf, itRejects, minimalSpec } from './minimal-spec.js';

const dense = (network: 'G' | 'D', units: number, inputs: number) => ({
  index: 0, kind: 'dense', units, bias: true, inShape: [inputs], outShape: [units],
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
      ["7:10: unknown option 'dilation' of 'conv': expected 'kernel', 'stride', 'padding' or 'bias'"]],
    ["misspelt option of batchnorm", minimalSpec({ generator: ['generator', '  dense 2', '  batchnorm epss 1e-3'] }),
      ["5:13: unknown option 'epss' of 'batchnorm' (did you mean 'eps'?)"]],
    ["misspelt option and a missing argument", minimalSpec({ generator: ['generator', '  dense 784', '  reshape 7 7 16', '  deconv kernal 4'] }, IMAGE_PARTS),
      ["6:3: 'deconv' takes 1 argument (filters), got 0", "6:10: unknown option 'kernal' of 'deconv' (did you mean 'kernel'?)"]],
    ["unknown layer", minimalSpec({ generator: ['generator', '  relux'] }),
      ["4:3: unknown layer 'relux' (did you mean 'relu'?)"]],
    ["unknown layer far", minimalSpec({ generator: ['generator', '  zzzzzz'] }),
      ["4:3: unknown layer 'zzzzzz': expected dense, conv, deconv, reshape, flatten, batchnorm, relu, tanh, sigmoid, lrelu, "
        + 'upsample, avgpool, sumpool, resblock, cbatchnorm or projection']],
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
      ["4:12: 'dense' has no option 'stride': expected 'bias'"]],
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

// Residual blocks, resampling and pooling layers, `bias false` and `init`, on 28×28×1 images: G's layers
// start at line 4, D's at 7 (or after G's when G is replaced).
describe('networks rule: residual networks', () => {
  const resnetG = ['generator', '  dense 7*7*8', '  reshape 7 7 8', '  resblock up 8', '  resblock up 1'];
  const resnetD = ['discriminator', '  resblock down 4', '  resblock down 4', '  resblock same 4', '  resblock same 6',
    '  relu', '  sumpool', '  dense 1'];

  it('places each residual block: G\'s with batch norm, D\'s first without its leading ReLU, shortcuts where shapes change', () => {
    const ir = irOf(minimalSpec({ generator: resnetG, discriminator: resnetD, added: ['normalize D sn'] }, IMAGE_PARTS));
    expect(ir.generator.layers.slice(2).map(({ params, ...layer }) => layer)).toEqual([
      { index: 2, kind: 'resblock', resample: 'up', filters: 8, hidden: 8, batchnorm: { eps: 1e-5, momentum: 0.1 },
        preActivation: true, shortcut: 'conv', inShape: [7, 7, 8], outShape: [14, 14, 8] },
      { index: 3, kind: 'resblock', resample: 'up', filters: 1, hidden: 1, batchnorm: { eps: 1e-5, momentum: 0.1 },
        preActivation: true, shortcut: 'conv', inShape: [14, 14, 8], outShape: [28, 28, 1] },
    ]);
    expect(ir.discriminator.layers.map((l) => [l.kind, l.outShape])).toEqual([
      ['resblock', [14, 14, 4]], ['resblock', [7, 7, 4]], ['resblock', [7, 7, 4]], ['resblock', [7, 7, 6]],
      ['relu', [7, 7, 6]], ['sumpool', [6]], ['dense', [1]],
    ]);
    const [first, second, same, wider] = ir.discriminator.layers;
    expect([first, second, same, wider].map((l) => l.kind === 'resblock' && [l.preActivation, l.hidden, l.shortcut]))
      .toEqual([[false, 4, 'conv'], [true, 4, 'conv'], [true, 4, 'identity'], [true, 4, 'conv']]);
    expect(ir.generator.layers[2]!.params.map((p) => `${p.name} ${p.shape.join('x')}`)).toEqual([
      'G.2.resblock.bn1.gamma 8', 'G.2.resblock.bn1.beta 8', 'G.2.resblock.bn1.running_mean 8', 'G.2.resblock.bn1.running_var 8',
      'G.2.resblock.conv1.kernel 3x3x8x8', 'G.2.resblock.conv1.bias 8',
      'G.2.resblock.bn2.gamma 8', 'G.2.resblock.bn2.beta 8', 'G.2.resblock.bn2.running_mean 8', 'G.2.resblock.bn2.running_var 8',
      'G.2.resblock.conv2.kernel 3x3x8x8', 'G.2.resblock.conv2.bias 8',
      'G.2.resblock.shortcut.kernel 1x1x8x8', 'G.2.resblock.shortcut.bias 8',
    ]);
    // Spectral normalization: a power-iteration vector for every kernel of every block.
    expect(first!.params.map((p) => `${p.name} ${p.shape.join('x')}`)).toEqual([
      'D.0.resblock.conv1.kernel 3x3x1x4', 'D.0.resblock.conv1.bias 4', 'D.0.resblock.conv1.sn_u 4',
      'D.0.resblock.conv2.kernel 3x3x4x4', 'D.0.resblock.conv2.bias 4', 'D.0.resblock.conv2.sn_u 4',
      'D.0.resblock.shortcut.kernel 1x1x1x4', 'D.0.resblock.shortcut.bias 4', 'D.0.resblock.shortcut.sn_u 4',
    ]);
    expect(same!.params.map((p) => p.name)).not.toContain('D.2.resblock.shortcut.kernel');
  });

  it('upsamples, average-pools and sum-pools', () => {
    const ir = irOf(minimalSpec({
      generator: ['generator', '  dense 7*7*2', '  reshape 7 7 2', '  upsample 2', '  upsample', '  conv 1'],
      discriminator: ['discriminator', '  avgpool', '  avgpool 7', '  sumpool', '  dense 1'],
    }, IMAGE_PARTS));
    expect(ir.generator.layers.map((l) => l.outShape).slice(2, 4)).toEqual([[14, 14, 2], [28, 28, 2]]);
    expect(ir.generator.layers[2]).toMatchObject({ kind: 'upsample', factor: 2, params: [] });
    expect(ir.discriminator.layers.map((l) => [l.kind, l.outShape])).toEqual([
      ['avgpool', [14, 14, 1]], ['avgpool', [2, 2, 1]], ['sumpool', [1]], ['dense', [1]],
    ]);
    expect(ir.discriminator.layers[1]).toMatchObject({ kind: 'avgpool', size: 7 });
  });

  it('leaves out the bias of a layer with bias false', () => {
    const ir = irOf(minimalSpec({
      discriminator: ['discriminator', '  conv 4 bias false', '  flatten', '  dense 1 bias false'], added: ['normalize D sn'],
    }, IMAGE_PARTS));
    expect(ir.discriminator.layers[0]).toMatchObject({ kind: 'conv', bias: false });
    expect(ir.discriminator.layers.flatMap((l) => l.params.map((p) => p.name)))
      .toEqual(['D.0.conv.kernel', 'D.0.conv.sn_u', 'D.2.dense.kernel', 'D.2.dense.sn_u']);
  });

  it('initializes kernels by the network\'s init, or the layer\'s own, biases at 0', () => {
    const ir = irOf(minimalSpec({
      generator: ['generator', '  dense 7*7*2 init normal 0.02', '  reshape 7 7 2', '  deconv 1 kernel 4 stride 4'],
      discriminator: ['discriminator', '  resblock down 2 init orthogonal', '  flatten', '  dense 1'],
      added: ['init G xavier', 'init D kaiming'],
    }, IMAGE_PARTS));
    const inits = (layers: typeof ir.generator.layers) => layers.flatMap((l) => l.params.map((p) => [p.name, p.init]));
    expect(inits(ir.generator.layers)).toEqual([
      ['G.0.dense.kernel', { kind: 'normal', std: 0.02 }], ['G.0.dense.bias', { kind: 'zeros' }],
      // PyTorch's fans of a transposed conv: fanIn from its output channels.
      ['G.2.deconv.kernel', { kind: 'xavier_uniform', fanIn: 16, fanOut: 32 }], ['G.2.deconv.bias', { kind: 'zeros' }],
    ]);
    expect(inits(ir.discriminator.layers)).toEqual([
      ['D.0.resblock.conv1.kernel', { kind: 'orthogonal' }], ['D.0.resblock.conv1.bias', { kind: 'zeros' }],
      ['D.0.resblock.conv2.kernel', { kind: 'orthogonal' }], ['D.0.resblock.conv2.bias', { kind: 'zeros' }],
      ['D.0.resblock.shortcut.kernel', { kind: 'orthogonal' }], ['D.0.resblock.shortcut.bias', { kind: 'zeros' }],
      ['D.2.dense.kernel', { kind: 'kaiming_normal', fanIn: 392 }], ['D.2.dense.bias', { kind: 'zeros' }],
    ]);
  });

  itRejects([
    ["resblock down past 1x1", minimalSpec({
      discriminator: ['discriminator', '  resblock down 4', '  resblock down 4', '  avgpool 7', '  resblock down 4', '  flatten', '  dense 1'],
    }, IMAGE_PARTS), ["10:3: resblock down needs an input of at least 2x2, but its input is [1, 1, 4]"]],
    ["resblock down on an odd side", minimalSpec({
      discriminator: ['discriminator', '  resblock down 4', '  resblock down 4', '  resblock down 4', '  flatten', '  dense 1'],
    }, IMAGE_PARTS), ["9:3: resblock down needs H and W divisible by 2, but its input is [7, 7, 4]"]],
    ["avgpool not dividing", minimalSpec({ discriminator: ['discriminator', '  avgpool 3', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:3: avgpool 3 needs H and W divisible by 3, but its input is [28, 28, 1]"]],
    ["resblock on a flat input", minimalSpec({ discriminator: ['discriminator', '  resblock same 4'] }),
      ["6:3: resblock same needs an image input [H, W, C], but its input is [2]: add 'reshape' before it"]],
    ["sumpool on a flat input", minimalSpec({ discriminator: ['discriminator', '  sumpool'] }),
      ["6:3: sumpool needs an image input [H, W, C], but its input is [2]: add 'reshape' before it"]],
    ["misspelt resblock mode", minimalSpec({ discriminator: ['discriminator', '  resblock dwn 4', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:12: unknown resblock mode 'dwn' (did you mean 'down'?)"]],
    ["resblock without its mode", minimalSpec({ discriminator: ['discriminator', '  resblock 4', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:3: 'resblock' takes 2 arguments (up, down or same, then filters), got 1"]],
    ["resblock mode a number", minimalSpec({ discriminator: ['discriminator', '  resblock 2 4', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:12: resblock takes up, down or same before its filters, e.g. resblock up 256"]],
    ["upsample by 0", minimalSpec({ discriminator: ['discriminator', '  upsample 0', '  flatten', '  dense 1'] }, IMAGE_PARTS),
      ["7:12: the upsampling factor must be at least 1, got 0"]],
    ["bias maybe", minimalSpec({ generator: ['generator', '  dense 2 bias maybe'] }),
      ["4:16: bias must be 'true' or 'false'"]],
    ["init on relu", minimalSpec({ generator: ['generator', '  dense 2', '  relu init kaiming'] }),
      ["5:8: 'relu' has no weights to initialize: 'init' goes on dense, conv, deconv and resblock"]],
    ["init scheme misspelt", minimalSpec({ generator: ['generator', '  dense 2 init kaimng'] }),
      ["4:16: unknown init scheme 'kaimng' (did you mean 'kaiming'?)"]],
    ["init normal without its std", minimalSpec({ generator: ['generator', '  dense 2 init normal'] }),
      ["4:16: 'init normal' takes 1 value (the standard deviation, e.g. init normal 0.02), got 0"]],
    ["init kaiming with a value", minimalSpec({ generator: ['generator', '  dense 2 init kaiming 2'] }),
      ["4:24: 'init kaiming' takes no value, got 1"]],
    ["init twice", minimalSpec({ generator: ['generator', '  dense 2 init kaiming init xavier'] }),
      ["4:24: option 'init' is given twice"]],
    ["projection without labelled data", minimalSpec({ data: ['data mnist'], latent: ['latent normal 2 classes 10'], discriminator: ['discriminator', '  flatten', '  projection', '  dense 1'] }, IMAGE_PARTS),
      ["8:3: 'projection' needs labelled real data: add 'labels' to the data statement (data mnist labels, data cifar10 \"PATH\" labels, data folder \"PATH\" size N labels from-subfolders)"]],
    ["projection without classes", minimalSpec({ data: ['data mnist labels'], discriminator: ['discriminator', '  flatten', '  projection', '  dense 1'] }, IMAGE_PARTS),
      ["8:3: 'projection' needs class labels for the fakes: add 'classes N' to the latent statement (latent normal 128 classes 10)"]],
    ["cbatchnorm without classes", minimalSpec({ generator: ['generator', '  dense 784', '  cbatchnorm', '  reshape 28 28 1'] }, IMAGE_PARTS),
      ["5:3: 'cbatchnorm' needs class labels for the fakes: add 'classes N' to the latent statement (latent normal 128 classes 10)"]],
    ["projection not before the last dense", minimalSpec({ data: ['data mnist labels'], latent: ['latent normal 2 classes 10'], discriminator: ['discriminator', '  flatten', '  projection', '  dense 4', '  dense 1'] }, IMAGE_PARTS),
      ["8:3: 'projection' must come right before the discriminator's last layer, 'dense 1'"]],
    ["projection in G", minimalSpec({ latent: ['latent normal 2 classes 10'], generator: ['generator', '  projection', '  dense 784', '  reshape 28 28 1'] }, IMAGE_PARTS),
      ["4:3: 'projection' goes in the discriminator (the generator's conditional layer is 'cbatchnorm')"]],
  ]);

  it('builds the conditional layers: per-class gamma/beta rows and the projection\'s embedding', () => {
    const ir = irOf(minimalSpec({
      data: ['data mnist labels'], latent: ['latent normal 2 classes 10'],
      generator: ['generator', '  dense 784', '  cbatchnorm', '  reshape 28 28 1'],
      discriminator: ['discriminator', '  flatten', '  projection', '  dense 1'],
    }, IMAGE_PARTS));
    const cbn = ir.generator.layers[1];
    expect(cbn).toMatchObject({ kind: 'cbatchnorm', classes: 10, eps: 1e-5, momentum: 0.1 });
    expect(cbn.params.map((p) => [p.name, p.shape, p.init.kind])).toEqual([
      ['G.1.cbatchnorm.gamma', [10, 784], 'ones'], ['G.1.cbatchnorm.beta', [10, 784], 'zeros'],
      ['G.1.cbatchnorm.running_mean', [784], 'zeros'], ['G.1.cbatchnorm.running_var', [784], 'ones'],
    ]);
    const projection = ir.discriminator.layers[1];
    expect(projection).toMatchObject({ kind: 'projection', classes: 10, outShape: [784] });
    expect(projection.params.map((p) => [p.name, p.role, p.shape])).toEqual([['D.1.projection.embedding', 'embedding', [10, 784]]]);
  });
});

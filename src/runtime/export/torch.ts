// `ganc export --format torch`: each network's weights as a PyTorch state dict in safetensors (PyTorch's
// names and layouts) and model.py, a short module defining the same networks as nn.Sequential.
// The modules are channels-first (NCHW) as PyTorch's layers are: G's images are ganc's after
// permute(0, 2, 3, 1). TensorFlow's 'same' padding puts an odd extra pixel after the image, which
// PyTorch's symmetric padding cannot, so those layers get an explicit ZeroPad2d or a crop.
import type { GanIR, Layer } from '../../ir/ir.js';
import { normalizationDefinition } from '../../terms/normalizations/index.js';
import { convPadding, deconvPadding, hasParam, permuted, unexpectedLayer, weightOf, type ExportedNetwork } from './exported-network.js';

export const TORCH_MODULE_FILE = 'model.py';
export const torchWeightsFile = (net: 'G' | 'D'): string => `${net}.safetensors`;

/** A state-dict entry: float32, or int64 for BatchNorm's num_batches_tracked. */
type StateEntry = { dtype: 'F32'; shape: number[]; data: Float32Array } | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

const py = (n: number): string => String(n);
const tuple = (values: number[]): string => `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;

interface TorchModule {
  name: string;
  /** Python expression constructing it. */
  code: string;
}

function layerModules(net: ExportedNetwork, layer: Layer, state: Record<string, StateEntry>): TorchModule[] {
  const name = `${layer.kind}${layer.index}`;
  const w = (role: string) => weightOf(net, layer, role);
  const f32 = (key: string, t: { shape: number[]; data: Float32Array }) => { state[`${name}.${key}`] = { dtype: 'F32', ...t }; };
  const useBias = hasParam(layer, 'bias');
  const bias = () => {
    if (useBias) f32('bias', w('bias'));
    return useBias ? '' : ', bias=False';
  };
  switch (layer.kind) {
    case 'dense':
      f32('weight', permuted(w('kernel'), [1, 0]));
      return [{ name, code: `nn.Linear(${layer.inShape[0]}, ${layer.units}${bias()})` }];
    case 'conv': {
      f32('weight', permuted(w('kernel'), [3, 2, 0, 1])); // [kh, kw, in, out] → [out, in, kh, kw]
      const biasArg = bias();
      const [top, bottom] = convPadding(layer.inShape[0], layer.kernel, layer.stride, layer.padding);
      const [left, right] = convPadding(layer.inShape[1], layer.kernel, layer.stride, layer.padding);
      const conv = (padding: string) =>
        `nn.Conv2d(${layer.inShape[2]}, ${layer.filters}, ${layer.kernel}, stride=${layer.stride}, padding=${padding}${biasArg})`;
      if (top === bottom && left === right) return [{ name, code: conv(tuple([top, left])) }];
      return [{ name: `${name}_pad`, code: `nn.ZeroPad2d(${tuple([left, right, top, bottom])})` }, { name, code: conv('0') }];
    }
    case 'deconv': {
      f32('weight', permuted(w('kernel'), [3, 2, 0, 1])); // [kh, kw, out, in] → [in, out, kh, kw]
      const biasArg = bias();
      const { begin, end, extra } = deconvPadding(layer.kernel, layer.stride, layer.padding);
      const deconv = `nn.ConvTranspose2d(${layer.inShape[2]}, ${layer.filters}, ${layer.kernel}, stride=${layer.stride}, `
        + `padding=${begin}, output_padding=${extra}${biasArg})`;
      const modules = [{ name, code: deconv }];
      if (end > begin) modules.push({ name: `${name}_crop`, code: `CropEnd(${end - begin})` });
      return modules;
    }
    case 'reshape':
    case 'flatten':
      return [{ name, code: `Reshape(${layer.outShape.join(', ')})` }];
    case 'batchnorm': {
      const channels = layer.inShape.at(-1)!;
      const kind = layer.inShape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
      f32('weight', w('gamma'));
      f32('bias', w('beta'));
      if (net.batchNorm === 'batch') {
        return [{ name, code: `nn.${kind}(${channels}, eps=${py(layer.eps)}, momentum=${py(layer.momentum)}, track_running_stats=False)` }];
      }
      f32('running_mean', w('running_mean'));
      f32('running_var', w('running_var'));
      state[`${name}.num_batches_tracked`] = { dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(net.batchesTracked)) };
      return [{ name, code: `nn.${kind}(${channels}, eps=${py(layer.eps)}, momentum=${py(layer.momentum)})` }];
    }
    case 'relu':
      return [{ name, code: 'nn.ReLU()' }];
    case 'lrelu':
      return [{ name, code: `nn.LeakyReLU(${py(layer.alpha)})` }];
    case 'tanh':
      return [{ name, code: 'nn.Tanh()' }];
    case 'sigmoid':
      return [{ name, code: 'nn.Sigmoid()' }];
    default:
      return unexpectedLayer(layer);
  }
}

function networkModules(net: ExportedNetwork): { modules: TorchModule[]; state: Record<string, StateEntry> } {
  const state: Record<string, StateEntry> = {};
  const modules = net.network.layers.flatMap((layer) => layerModules(net, layer, state));
  return { modules, state };
}

/**
 * safetensors with float32 and int64 tensors. ganc's own reader and writer (../safetensors.ts) hold
 * float32 only, by design; PyTorch's BatchNorm state has an int64 counter.
 */
function encodeStateDict(state: Record<string, StateEntry>, metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const names = Object.keys(state).sort();
  let offset = 0;
  for (const name of names) {
    const { dtype, shape, data } = state[name];
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data 8-byte aligned, as the reference writer pads
  const headerBytes = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  return Buffer.concat([length, headerBytes, ...names.map((n) => Buffer.from(state[n].data.buffer, state[n].data.byteOffset, state[n].data.byteLength))]);
}

/** The network's state dict as a safetensors file. */
export function torchStateDict(net: ExportedNetwork, metadata: Record<string, string>): Buffer {
  return encodeStateDict(networkModules(net).state, { format: 'pt', ...metadata });
}

const PREAMBLE = `from collections import OrderedDict
import json
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Reshape(nn.Module):
    """ganc's reshape and flatten: row-major over channels-last values, while images here are channels-first."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        if x.dim() > 2:
            x = x.movedim(1, -1)
        x = x.reshape(x.shape[0], *self.shape)
        return x.movedim(-1, 1) if x.dim() > 2 else x

    def extra_repr(self):
        return ', '.join(map(str, self.shape))


class CropEnd(nn.Module):
    """Drops the last n rows and columns: TensorFlow's 'same' padding crops one more pixel at the end than at the start."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        return x[..., : x.shape[-2] - self.n, : x.shape[-1] - self.n]

    def extra_repr(self):
        return str(self.n)
`;

const LOADER = `

def load_state_dict(path):
    """A safetensors file as a state dict: with the safetensors package when installed, else read here."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return load_file(path)
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    dtypes = {'F32': torch.float32, 'I64': torch.int64}
    state = OrderedDict()
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        begin, end = entry['data_offsets']
        state[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=dtypes[entry['dtype']]).reshape(entry['shape'])
    return state


def load(name):
    """An exported network ('G' or 'D') with its weights, in eval mode."""
    module = {BUILDERS}[name]()
    module.load_state_dict(load_state_dict(os.path.join(HERE, name + '.safetensors')))
    return module.eval()
`;

function sequential(fn: string, doc: string, modules: TorchModule[]): string {
  const lines = modules.map((m) => `        ('${m.name}', ${m.code}),`);
  return `\n\ndef ${fn}():\n    """${doc}"""\n    return nn.Sequential(OrderedDict([\n${lines.join('\n')}\n    ]))\n`;
}

/** f̂ of each gradient normalisation in PyTorch, written the way ../../terms/normalizations computes it. */
const NORMALIZED_VALUE: Record<string, string> = {
  gn: 'f / (g.flatten(1).norm(dim=1) + f.abs())',
  pgn: '(1 - f) / ((1 - g).flatten(1).norm(dim=1) + (1 - f).abs())',
};

/** The helper computing f̂ for D's gradient normalisation; empty for any other normalisation. */
function normalizedHelper(ir: GanIR): string {
  const value = NORMALIZED_VALUE[ir.normalize];
  if (!value) return '';
  const def = normalizationDefinition(ir.normalize);
  return `

def normalized(d, x):
    """f̂ as ganc's losses see D (normalize ${def.name}): ${def.definition}.

    d is discriminator() (the raw f); ∇ₓf is of f summed over the batch, as in ganc. Differentiable (create_graph).
    """
    if not x.requires_grad:
        x = x.detach().requires_grad_(True)
    f = d(x).reshape(-1)
    (g,) = torch.autograd.grad(f.sum(), x, create_graph=True)
    return ${value}
`;
}

/** Text inside a Python docstring: backslashes and quotes escaped (a run path may hold either). */
const docstring = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** model.py: the exported networks, the loader and, for an exported D under gn/pgn, f̂. */
export function torchModuleSource(ir: GanIR, nets: ExportedNetwork[], header: string): string {
  const image = (shape: number[]) => (shape.length === 3 ? `[N, ${shape[2]}, ${shape[0]}, ${shape[1]}] (NCHW)` : `[N, ${shape.join(', ')}]`);
  let source = `"""${docstring(header)}"""\n${PREAMBLE}`;
  for (const net of nets) {
    const { inShape, outShape } = net.network;
    source += net.name === 'G'
      ? sequential('generator', `G: z [N, ${ir.latent.dim}] (${ir.latent.dist}) -> ${image(outShape)}; batch norm on running statistics in eval mode.`, networkModules(net).modules)
      : sequential('discriminator', `D (the raw f): ${image(inShape)} -> [N, ${outShape.join(', ')}]; batch norm on each batch's statistics, as ganc trains D.`, networkModules(net).modules);
  }
  const builders = nets.map((n) => `'${n.name}': ${n.name === 'G' ? 'generator' : 'discriminator'}`).join(', ');
  source += LOADER.replace('BUILDERS', builders);
  if (nets.some((n) => n.name === 'D')) source += normalizedHelper(ir);
  return source;
}

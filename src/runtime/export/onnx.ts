// `ganc export --format onnx`: one ONNX model (IR version 8, opset 13) per network, encoded with the
// onnx-proto package (ONNX's own onnx.proto compiled by protobufjs).
// The model keeps ganc's interface: G maps z [N, dim] to images [N, H, W, C] (NHWC) and D maps
// NHWC images to [N, 1]. Inside, activations with spatial axes are channels-first, as ONNX's Conv,
// ConvTranspose and BatchNormalization want them; a reshape or flatten goes through channels-last so
// that it orders values as ganc's row-major NHWC reshape does.
import onnxProto from 'onnx-proto';
import type { Layer, Shape } from '../../ir/ir.js';
import { convPadding, deconvPadding, hasParam, permuted, unexpectedLayer, weightOf, type ExportedNetwork } from './exported-network.js';

const { onnx } = onnxProto;

export const ONNX_OPSET = 13;
const IR_VERSION = 8;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const { AttributeType } = onnx.AttributeProto;

/** The model's input and output names: G maps z to x, D maps x to d. */
export const ONNX_IO = { G: { input: 'z', output: 'x' }, D: { input: 'x', output: 'd' } } as const;

type Attribute = number | number[] | { float: number };

/** Shapes with two or more axes besides the batch are held channels-first inside the graph. */
const channelsFirst = (shape: Shape): boolean => shape.length >= 2;
/** Axis permutations (batch axis included) between channels-last [N, ..., C] and channels-first [N, C, ...]. */
const toChannelsFirst = (rank: number): number[] => [0, rank, ...Array.from({ length: rank - 1 }, (_, i) => i + 1)];
const toChannelsLast = (rank: number): number[] => [0, ...Array.from({ length: rank - 1 }, (_, i) => i + 2), 1];

class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private count = 0;

  constructor(private readonly prefix: string) {}

  /** A node with one output; returns the output's name. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, name?: string): string {
    const output = name ?? `${this.prefix}/${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: output,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return output;
  }

  float(name: string, t: { shape: number[]; data: Float32Array }): string {
    this.initializers.push({ name, dims: t.shape, dataType: FLOAT, rawData: bytesOf(t.data) });
    return name;
  }

  int64(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: bytesOf(BigInt64Array.from(values.map(BigInt))) });
    return name;
  }
}

function attribute(name: string, value: Attribute): onnxProto.onnx.IAttributeProto {
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'object') return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INT, i: value };
}

/** Little-endian bytes of a typed array (ONNX's raw_data is little-endian, as is every host Node runs on). */
function bytesOf(a: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

function valueInfo(name: string, shape: Shape): onnxProto.onnx.IValueInfoProto {
  const dim = [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))];
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

/** A reshape in ganc's order: channels-last before, row-major reshape, channels-first again after. */
function reshape(g: GraphBuilder, x: string, from: Shape, to: Shape, name: string): string {
  let h = channelsFirst(from) ? g.node('Transpose', [x], { perm: toChannelsLast(from.length) }) : x;
  h = g.node('Reshape', [h, g.int64(`${name}.shape`, [-1, ...to])]);
  return channelsFirst(to) ? g.node('Transpose', [h], { perm: toChannelsFirst(to.length) }) : h;
}

/** Per-channel constant shaped to broadcast along axis 1 of a channels-first activation. */
function perChannel(t: { shape: number[]; data: Float32Array }, activation: Shape): { shape: number[]; data: Float32Array } {
  return { shape: [t.shape[0], ...new Array<number>(Math.max(activation.length - 1, 0)).fill(1)], data: t.data };
}

function batchNorm(g: GraphBuilder, net: ExportedNetwork, layer: Extract<Layer, { kind: 'batchnorm' }>, x: string, base: string): string {
  const w = (role: string) => weightOf(net, layer, role);
  if (net.batchNorm === 'running') {
    const inputs = ['gamma', 'beta', 'running_mean', 'running_var'].map((role) => g.float(`${base}.${role}`, w(role)));
    return g.node('BatchNormalization', [x, ...inputs], { epsilon: { float: layer.eps } });
  }
  // The batch's own statistics (biased variance), as D computes in training: over every axis but the channels.
  const shape = layer.inShape;
  const axes = [0, ...Array.from({ length: shape.length - 1 }, (_, i) => i + 2)];
  const mean = g.node('ReduceMean', [x], { axes, keepdims: 1 });
  const centered = g.node('Sub', [x, mean]);
  const variance = g.node('ReduceMean', [g.node('Mul', [centered, centered])], { axes, keepdims: 1 });
  const eps = g.float(`${base}.eps`, { shape: [], data: Float32Array.of(layer.eps) });
  const normalised = g.node('Div', [centered, g.node('Sqrt', [g.node('Add', [variance, eps])])]);
  const scaled = g.node('Mul', [normalised, g.float(`${base}.gamma`, perChannel(w('gamma'), shape))]);
  return g.node('Add', [scaled, g.float(`${base}.beta`, perChannel(w('beta'), shape))]);
}

function layerNodes(g: GraphBuilder, net: ExportedNetwork, layer: Layer, x: string): string {
  const base = `${net.name}.${layer.index}.${layer.kind}`;
  const w = (role: string) => weightOf(net, layer, role);
  // The bias input is optional in Gemm, Conv and ConvTranspose.
  const bias = (): string[] => (hasParam(layer, 'bias') ? [g.float(`${base}.bias`, w('bias'))] : []);
  switch (layer.kind) {
    case 'dense':
      // Gemm with transB: the weight stored [out, in], as PyTorch's Linear stores it.
      return g.node('Gemm', [x, g.float(`${base}.kernel`, permuted(w('kernel'), [1, 0])), ...bias()], { transB: 1 });
    case 'conv': {
      const [top, bottom] = convPadding(layer.inShape[0], layer.kernel, layer.stride, layer.padding);
      const [left, right] = convPadding(layer.inShape[1], layer.kernel, layer.stride, layer.padding);
      // [kh, kw, in, out] → [out, in, kh, kw]
      const kernel = g.float(`${base}.kernel`, permuted(w('kernel'), [3, 2, 0, 1]));
      return g.node('Conv', [x, kernel, ...bias()], {
        kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride], pads: [top, left, bottom, right],
      });
    }
    case 'deconv': {
      const { begin, end, extra } = deconvPadding(layer.kernel, layer.stride, layer.padding);
      // [kh, kw, out, in] → [in, out, kh, kw]
      const kernel = g.float(`${base}.kernel`, permuted(w('kernel'), [3, 2, 0, 1]));
      return g.node('ConvTranspose', [x, kernel, ...bias()], {
        kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride],
        pads: [begin, begin, end, end], output_padding: [extra, extra],
      });
    }
    case 'reshape':
    case 'flatten':
      return reshape(g, x, layer.inShape, layer.outShape, base);
    case 'batchnorm':
      return batchNorm(g, net, layer, x, base);
    case 'relu':
      return g.node('Relu', [x]);
    case 'lrelu':
      return g.node('LeakyRelu', [x], { alpha: { float: layer.alpha } });
    case 'tanh':
      return g.node('Tanh', [x]);
    case 'sigmoid':
      return g.node('Sigmoid', [x]);
    default:
      return unexpectedLayer(layer);
  }
}

export interface OnnxModelInfo {
  /** Shown as the model's doc string. */
  description: string;
  /** Stored as metadata_props (e.g. run, step, ema). */
  metadata: Record<string, string>;
}

/** The network as a serialised ONNX ModelProto. */
export function onnxModel(net: ExportedNetwork, info: OnnxModelInfo): Uint8Array {
  const { input, output } = ONNX_IO[net.name];
  const g = new GraphBuilder(net.name);
  const { inShape, outShape } = net.network;
  let h = channelsFirst(inShape) ? g.node('Transpose', [input], { perm: toChannelsFirst(inShape.length) }) : input;
  for (const layer of net.network.layers) h = layerNodes(g, net, layer, h);
  if (channelsFirst(outShape)) g.node('Transpose', [h], { perm: toChannelsLast(outShape.length) }, output);
  else g.node('Identity', [h], {}, output);
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'ganc',
    docString: info.description,
    metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: net.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(input, inShape)],
      output: [valueInfo(output, outShape)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

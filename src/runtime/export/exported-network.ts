// What `ganc export` writes for each network, whatever the format: the IR's layers and the weights of
// the latest checkpoint in ganc's layouts, as the network computes outside training.
// - G: the EMA weights when asked for and kept; batch norm on its running statistics (sampling mode,
//   as `ganc sample` computes it, so a sample does not depend on the rest of its batch).
// - D: spectral normalisation's W/σ baked into each kernel, σ from one power iteration from the stored
//   u (what the next D or G step would use); batch norm on the batch's statistics, since ganc only ever
//   computes D that way and never updates D's running statistics. gn/pgn are not applied: the raw f is
//   exported (f̂ needs ∇ₓf, which an inference graph does not have); the README says so.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR, Layer, Network, NetworkName } from '../../ir/ir.js';
import { normalizationDefinition } from '../../terms/normalizations/index.js';
import { kernelMatrix, powerIteration, spectrallyNormalized } from '../../terms/normalizations/spectral-normalization.js';
import { paramName, type ParamTensors } from '../graph/network.js';
import type { TensorMap } from '../safetensors.js';
import { loadLatestCheckpoint } from '../run/checkpoint.js';
import { fromCheckpoint } from '../train/checkpoint-state.js';
import { readRunIR } from '../train/trained-run.js';
import { disposeState, type TrainingState } from '../train/trainer.js';
import { ExportError } from './export-error.js';

/** Which statistics batch norm normalises with. */
export type BatchNormStatistics = 'running' | 'batch';

export interface ExportedNetwork {
  name: NetworkName;
  network: Network;
  /** By IR parameter name, in the IR's layouts; SN's u vectors left out (their effect is in the kernels). */
  weights: TensorMap;
  batchNorm: BatchNormStatistics;
  /** Updates of the running statistics so far (PyTorch's num_batches_tracked): one per G step. */
  batchesTracked: number;
}

export interface ExportSource {
  ir: GanIR;
  step: number;
  /** G's weights are the EMA ones. */
  usesEma: boolean;
  G: ExportedNetwork;
  D: ExportedNetwork;
}

const isKernelLayer = (l: Layer): l is Extract<Layer, { kind: 'dense' | 'conv' | 'deconv' }> =>
  l.kind === 'dense' || l.kind === 'conv' || l.kind === 'deconv';

function readTensor(t: tf.Tensor): { shape: number[]; data: Float32Array } {
  return { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
}

/** D's kernels as D computes with them: W/σ(W) under spectral normalisation, as in graph/steps.ts. */
function discriminatorKernels(ir: GanIR, params: ParamTensors): TensorMap {
  const spectral = normalizationDefinition(ir.normalize).spectral;
  const out: TensorMap = {};
  for (const layer of ir.discriminator.layers.filter(isKernelLayer)) {
    const name = paramName(ir.discriminator, layer, 'kernel');
    if (!spectral) {
      out[name] = readTensor(params[name]);
      continue;
    }
    out[name] = tf.tidy(() => {
      const deconv = layer.kind === 'deconv';
      const u = params[paramName(ir.discriminator, layer, 'sn_u')] as tf.Tensor1D;
      const vectors = powerIteration(kernelMatrix(params[name], deconv), u);
      return readTensor(spectrallyNormalized(params[name], deconv, vectors.u, vectors.v));
    });
  }
  return out;
}

function networkWeights(network: Network, params: ParamTensors, overrides: TensorMap = {}): TensorMap {
  const out: TensorMap = {};
  for (const p of network.layers.flatMap((l) => l.params)) {
    if (p.role === 'sn_u') continue;
    out[p.name] = overrides[p.name] ?? readTensor(params[p.name]);
  }
  return out;
}

/** Both networks of a training state, G's weights from its EMA when `useEma` (the state must keep one). */
export function exportedNetworks(ir: GanIR, state: TrainingState, useEma: boolean): { G: ExportedNetwork; D: ExportedNetwork } {
  if (useEma && !state.ema) throw new Error('internal: EMA weights asked for, but the state keeps none');
  const gParams = useEma ? { ...state.params, ...state.ema! } : state.params;
  const batchesTracked = state.optimizers.G.step;
  return {
    G: { name: 'G', network: ir.generator, weights: networkWeights(ir.generator, gParams), batchNorm: 'running', batchesTracked },
    D: {
      name: 'D',
      network: ir.discriminator,
      weights: networkWeights(ir.discriminator, state.params, discriminatorKernels(ir, state.params)),
      batchNorm: 'batch',
      batchesTracked,
    },
  };
}

/**
 * A run directory's networks at its latest checkpoint. `ema`: 'prefer' uses G's EMA weights when the run
 * keeps them, 'require' fails when it does not, 'off' uses the raw weights.
 */
export function readExportSource(runDir: string, ema: 'prefer' | 'require' | 'off'): ExportSource {
  const ir = readRunIR(runDir);
  const state = fromCheckpoint(ir, loadLatestCheckpoint(runDir));
  try {
    if (ema === 'require' && !state.ema) {
      throw new ExportError(`${runDir}: the run keeps no EMA weights (its spec trains with ema 0); leave out --ema or pass --no-ema`);
    }
    const usesEma = ema !== 'off' && state.ema !== null;
    return { ir, step: state.step, usesEma, ...exportedNetworks(ir, state, usesEma) };
  } finally {
    disposeState(state);
  }
}

/** The layer kinds every format can express. */
const EXPORTABLE_KINDS: ReadonlySet<string> = new Set(['dense', 'conv', 'deconv', 'reshape', 'flatten', 'batchnorm', 'relu', 'lrelu', 'tanh', 'sigmoid']);

/** An ExportError naming the first layer of the network that export cannot write. */
export function assertExportable(net: ExportedNetwork): void {
  const layer = net.network.layers.find((l) => !EXPORTABLE_KINDS.has(l.kind));
  if (layer && (layer.kind === 'cbatchnorm' || layer.kind === 'projection')) {
    throw new ExportError(`${net.name}'s layer ${layer.index} (${layer.kind}) takes each sample's class, for which exported networks have `
      + 'no input: class-conditional networks cannot be exported yet');
  }
  if (layer) {
    throw new ExportError(`${net.name}'s layer ${layer.index} (${layer.kind}) cannot be exported yet; export supports ${[...EXPORTABLE_KINDS].join(', ')}`);
  }
}

/** For a switch's default branch: a layer kind assertExportable lets through but the format has no case for. */
export function unexpectedLayer(layer: { kind: string }): never {
  throw new Error(`internal: no export for layer kind '${layer.kind}'`);
}

/** Whether the layer has a parameter of this role (a dense or conv layer may have no bias). */
export const hasParam = (layer: Layer, role: string): boolean => layer.params.some((p) => p.role === role);

/** The weight of a layer's parameter role; an internal error when the IR names one the weights lack. */
export function weightOf(net: ExportedNetwork, layer: Layer, role: string): { shape: number[]; data: Float32Array } {
  const t = net.weights[paramName(net.network, layer, role)];
  if (!t) throw new Error(`internal: no weight ${paramName(net.network, layer, role)} to export`);
  return t;
}

/** A tensor's values with its axes permuted (row-major), e.g. [kh, kw, in, out] → [out, in, kh, kw]. */
export function permuted(t: { shape: number[]; data: Float32Array }, perm: number[]): { shape: number[]; data: Float32Array } {
  const rank = t.shape.length;
  const shape = perm.map((p) => t.shape[p]);
  const srcStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) { srcStrides[i] = s; s *= t.shape[i]; }
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i] * srcStrides[perm[i]];
    out[o] = t.data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return { shape, data: out };
}

/**
 * TensorFlow's 'same' padding of a convolution along one axis: the total, its first half before and the
 * rest (one more when odd) after; 'valid' pads nothing.
 */
export function convPadding(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): [number, number] {
  if (padding === 'valid') return [0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * A transposed convolution as a full transposed convolution (output (in−1)·stride + kernel) cropped by
 * `begin`/`end` and extended by `extra` zero-input rows at the end. 'same' (output in·stride) is the
 * gradient of a 'same' convolution from that output: crop max(kernel − stride, 0), first half before;
 * when kernel < stride the last stride − kernel rows see no input.
 */
export function deconvPadding(kernel: number, stride: number, padding: 'same' | 'valid'): { begin: number; end: number; extra: number } {
  if (padding === 'valid') return { begin: 0, end: 0, extra: 0 };
  const total = Math.max(kernel - stride, 0);
  return { begin: Math.floor(total / 2), end: total - Math.floor(total / 2), extra: Math.max(stride - kernel, 0) };
}

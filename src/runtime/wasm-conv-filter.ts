// tfjs's 'wasm' backend has no Conv2DBackpropFilter kernel, so `--backend wasm` failed at the first conv
// layer's weight gradient with "Kernel 'Conv2DBackpropFilter' not registered". ganc's portable route
// already computes that gradient in TypeScript (im2col and a blocked product over float32 arrays, the
// same for any backend that can hand over its operands): this registers it for the 'wasm' backend too.
import { getKernel, registerKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, filterShape, type ConvAttrs } from './kernels/conv-geometry.js';
import { conv2DBackpropFilterPortable } from './kernels/portable-conv2d-backprop-filter.js';

const KERNEL = 'Conv2DBackpropFilter';

function backpropFilter({ inputs, attrs, backend }: { inputs: Record<string, TensorInfo>; attrs?: NamedAttrMap; backend: unknown }): TensorInfo {
  const { x, dy } = inputs;
  const convAttrs = attrs as unknown as ConvAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, convAttrs.filterShape, convAttrs);
  // ganc's layers are NHWC without dilation; anything else is not a conv that ganc built.
  if (!g || x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`${KERNEL} on wasm: only float32 NHWC convolutions without dilation are supported`);
  }
  const wasm = backend as BackendWasm;
  const dw = conv2DBackpropFilterPortable(g, wasm.readSync(x.dataId) as Float32Array, wasm.readSync(dy.dataId) as Float32Array);
  const out = wasm.makeOutput(filterShape(g), 'float32');
  wasm.typedArrayFromHeap(out).set(dw);
  return out;
}

/** Registers the filter gradient for 'wasm' unless tfjs-backend-wasm has (or gains) its own. */
export function registerWasmConvFilter(): void {
  if (getKernel(KERNEL, 'wasm')) return;
  registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: backpropFilter as KernelConfig['kernelFunc'] });
}

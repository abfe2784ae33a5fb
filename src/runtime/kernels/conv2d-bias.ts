// conv2d(x, filter) + bias in one pass over the output: the bias of a conv layer is added while each row
// of the output is in cache (the direct small-channel kernel adds it in registers) instead of by a separate
// Add that reads and writes the whole activation again. Same floats as tf.add(tf.conv2d(x, filter), bias).
// With attr leakyAlpha (>= 0; 0 is relu) the following leakyRelu / relu layer runs in the same pass.
// Registered on the ganc backend's native route only; conv layers use it wherever the current backend has
// it (conv2dWithBias in autodiff/ops.ts), and its gradient rule is in autodiff/gradient-rules.ts.
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { nativeConv2DBias, type FusedConv2DArgs } from './conv2d.js';
import type { NativeKernels } from './native.js';

export const CONV2D_BIAS = 'GancConv2DBias';

export function makeConv2DBias(native: NativeKernels): KernelFunc {
  return (args) => {
    const leakyAlpha = (args.attrs as { leakyAlpha?: number } | undefined)?.leakyAlpha;
    const result = nativeConv2DBias(native, args as unknown as FusedConv2DArgs, leakyAlpha ?? undefined);
    if (!result) throw new Error(`${CONV2D_BIAS}: needs float32 x, filter and a bias of outChannels floats, NHWC, no dilation`);
    return result;
  };
}

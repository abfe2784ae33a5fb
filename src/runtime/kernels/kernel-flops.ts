// Floating-point operations of one kernel call, for the profile's GFLOP/s: exact multiply-adds
// (counted as 2) for matMul and convolutions, one per input element for reductions, one per output
// element for everything else.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';

interface KernelCall {
  inputs: Record<string, TensorInfo | undefined>;
  attrs?: Record<string, unknown>;
}

const size = (tensor: TensorInfo) => util.sizeFromShape(tensor.shape);
const last = (shape: number[], fromEnd: number) => shape[shape.length - fromEnd];

export function kernelFlops(kernelName: string, { inputs, attrs }: KernelCall, outputs: TensorInfo[]): number {
  const out = outputs[0];
  if (!out) return 0;
  switch (kernelName) {
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const a = inputs.a!;
      const inner = attrs?.transposeA ? last(a.shape, 2) : last(a.shape, 1);
      return 2 * size(out) * inner;
    }
    case 'Conv2D':
    case 'FusedConv2D': {
      const filter = inputs.filter!;
      return (2 * size(out) * size(filter)) / last(filter.shape, 1);
    }
    case 'Conv2DBackpropInput': {
      const filter = inputs.filter!;
      return (2 * size(inputs.dy!) * size(filter)) / last(filter.shape, 1);
    }
    case 'Conv2DBackpropFilter':
      return (2 * size(inputs.dy!) * size(out)) / last(out.shape, 1);
    case 'Sum':
    case 'Mean':
    case 'Max':
    case 'Min':
    case 'Prod':
      return size(inputs.x!);
    default:
      return outputs.reduce((sum, tensor) => sum + size(tensor), 0);
  }
}

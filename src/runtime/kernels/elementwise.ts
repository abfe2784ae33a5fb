// Elementwise kernels (binary with broadcasting, comparisons, unary, Select) on the native code.
// Each takes float32 inputs only and leaves every other case to tfjs's cpu kernel.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { broadcast_util, util, type DataType, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { outputFloats } from './ganc-backend.js';
import type { NativeKernels } from './native.js';
import { float32Values, makeFloat32 } from './tensor-data.js';

const MAX_RANK = 8;

interface Args<Inputs> {
  inputs: Inputs;
  attrs?: { alpha?: number };
  backend: MathBackendCPU;
}

type Operands = { a: Float32Array; b: Float32Array; outShape: number[] };

function binaryOperands({ inputs: { a, b }, backend }: Args<{ a: TensorInfo; b: TensorInfo }>): Operands | undefined {
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (!aValues || !bValues || Math.max(a.shape.length, b.shape.length) > MAX_RANK) return undefined;
  const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  return util.sizeFromShape(outShape) === 0 ? undefined : { a: aValues, b: bValues, outShape };
}

function makeBinary(native: NativeKernels, op: number, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const typed = args as unknown as Args<{ a: TensorInfo; b: TensorInfo }>;
    const operands = binaryOperands(typed);
    if (!operands) return fallback(args);
    const { a, b } = typed.inputs;
    const out = outputFloats(typed.backend, util.sizeFromShape(operands.outShape));
    native.binary(op, operands.a, Int32Array.from(a.shape), operands.b, Int32Array.from(b.shape), out, Int32Array.from(operands.outShape));
    return makeFloat32(typed.backend, operands.outShape, out);
  };
}

function makeCompare(native: NativeKernels, op: number, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const typed = args as unknown as Args<{ a: TensorInfo; b: TensorInfo }>;
    const operands = binaryOperands(typed);
    if (!operands) return fallback(args);
    const { a, b } = typed.inputs;
    const out = new Uint8Array(util.sizeFromShape(operands.outShape));
    native.compare(op, operands.a, Int32Array.from(a.shape), operands.b, Int32Array.from(b.shape), out, Int32Array.from(operands.outShape));
    return typed.backend.makeTensorInfo(operands.outShape, 'bool' as DataType, out);
  };
}

function makeUnary(native: NativeKernels, op: number, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args<{ x: TensorInfo }>;
    const x = float32Values(backend, inputs.x);
    if (!x || x.length === 0) return fallback(args);
    const out = outputFloats(backend, x.length);
    native.unary(op, x, out, attrs?.alpha ?? 0);
    return makeFloat32(backend, inputs.x.shape, out);
  };
}

function makeSelect(native: NativeKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args<{ condition: TensorInfo; t: TensorInfo; e: TensorInfo }>;
    const condition = backend.data.get(inputs.condition.dataId).values;
    const t = float32Values(backend, inputs.t);
    const e = float32Values(backend, inputs.e);
    // tfjs also lets a rank-1 condition pick whole rows; that stays with the cpu kernel.
    const sameShape = util.arraysEqual(inputs.condition.shape, inputs.t.shape) && util.arraysEqual(inputs.t.shape, inputs.e.shape);
    if (!(condition instanceof Uint8Array) || !t || !e || !sameShape || t.length === 0) return fallback(args);
    const out = outputFloats(backend, t.length);
    native.select(condition, t, e, out);
    return makeFloat32(backend, inputs.t.shape, out);
  };
}

/**
 * Native kernels for every elementwise kernel name ganc speeds up, given the cpu kernel to fall back on.
 * Which kernels those are, and their op codes, come from the addon (opCodes(), built from the lists in
 * native/src/elementwise.h), so there is no second copy of the codes here to keep in step.
 */
export function elementwiseOverrides(native: NativeKernels): Record<string, (fallback: KernelFunc) => KernelFunc> {
  const codes = native.opCodes();
  const overrides: Record<string, (fallback: KernelFunc) => KernelFunc> = {
    Select: (fallback) => makeSelect(native, fallback),
  };
  for (const [name, op] of Object.entries(codes.binary)) overrides[name] = (fallback) => makeBinary(native, op, fallback);
  for (const [name, op] of Object.entries(codes.compare)) overrides[name] = (fallback) => makeCompare(native, op, fallback);
  for (const [name, op] of Object.entries(codes.unary)) overrides[name] = (fallback) => makeUnary(native, op, fallback);
  return overrides;
}

// Every derivative rule ganc's runtime uses, in one table (in the spirit of tinygrad's gradient.py).
//
// Why ganc owns the whole table (tfjs-core 4.22, read from dist/engine.js, dist/tape.js):
// - tfjs-core's Node entry (dist/tf-core.node.js) registers NO gradients at all; only the
//   @tensorflow/tfjs union package imports dist/register_all_gradients, whose ESM files Node cannot
//   load (extensionless imports). So every op ganc differentiates needs a rule from here.
// - A nested tf.grads records the inner backward pass on the outer tape (the inner backward runs
//   while the outer gradientDepth > 0), so each rule's expression must be built from
//   differentiable ops; then derivatives of any order follow by applying the table again.
// - Tensors saved for the backward pass are clones (Identity nodes). A saved INPUT is cloned after
//   the input exists, so the clone is linked to it on the tape. A saved OUTPUT is cloned inside the
//   kernel, before the node producing it is pushed, so the tape never links the clone to x and all
//   derivative through it is silently dropped (tensorflow/tfjs#3252: tfjs's rules for tanh, sigmoid
//   and exp do this, e.g. d²/dx² x·tanh(x) at 0.5 = 1.5729 instead of 1.2095; pow's does it for
//   the exponent; elu's calls an EluGrad kernel that has no rule). Rules here therefore save
//   inputs only and recompute what they need from them.
// - Comparisons and logic ops are piecewise constant: explicitly zero gradient (tfjs had none, so a
//   mask inside a backward expression — leakyRelu, maximum, where — threw under a 2nd derivative).
// - tfjs had no rule for Conv2DBackpropFilter, so second derivatives through conv weights threw.
//
// Conventions at kinks follow PyTorch: relu'(0) = 0, abs'(0) = sign(0) = 0, maximum/minimum give
// the tie to `a`. Ops absent from the table fail loudly ("gradient function not found for X").
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../kernels/batch-norm.js';
import { CONV2D_BIAS } from '../kernels/conv2d-bias.js';
import { STEP_MULTIPLY } from '../kernels/step-multiply.js';

type Grads = ReturnType<tf.GradFunc>;
type Rule = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Grads;
type MultiOutputRule = (dys: tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Grads;

function rule(kernelName: string, inputsToSave: string[], gradFunc: Rule): tf.GradConfig {
  return { kernelName, inputsToSave, gradFunc: (dy, saved, attrs) => gradFunc(dy as tf.Tensor, saved, attrs) };
}

/** For kernels whose inputs are a list (AddN, Concat, Pack): input names are '0', '1', ... */
function listRule(kernelName: string, gradFunc: Rule): tf.GradConfig {
  return { kernelName, saveAllInputs: true, gradFunc: (dy, saved, attrs) => gradFunc(dy as tf.Tensor, saved, attrs) };
}

function multiOutputRule(kernelName: string, inputsToSave: string[], gradFunc: MultiOutputRule): tf.GradConfig {
  return { kernelName, inputsToSave, gradFunc: (dys, saved, attrs) => gradFunc(dys as tf.Tensor[], saved, attrs) };
}

/** Elementwise op: dx = dy · derivative(x), derivative built from differentiable ops of x. */
function unary(kernelName: string, derivative: (x: tf.Tensor, attrs: tf.NamedAttrMap) => tf.Tensor): tf.GradConfig {
  return rule(kernelName, ['x'], (dy, [x], attrs) => ({ x: () => tf.mul(dy, derivative(x, attrs)) }));
}

/**
 * dy · step(x, alpha): relu's and leakyRelu's gradient. One fused kernel where the current backend has it
 * (ganc's native route), the same floats as tf.mul(dy, tf.step(x, alpha)) otherwise.
 */
function stepMultiply(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (tf.getKernel(STEP_MULTIPLY, tf.getBackend()) && dy.dtype === 'float32' && x.dtype === 'float32' && tf.util.arraysEqual(dy.shape, x.shape)) {
    return tf.engine().runKernel(STEP_MULTIPLY, { dy, x }, { alpha }) as tf.Tensor;
  }
  return tf.mul(dy, tf.step(x, alpha));
}

/** Piecewise-constant ops (comparisons, logic, rounding, arg-reductions): zero, float32 even for bool inputs. */
function zero(kernelName: string, inputNames: string[]): tf.GradConfig {
  return rule(kernelName, inputNames, (_dy, saved) =>
    Object.fromEntries(inputNames.map((name, i) => [name, () => tf.zeros(saved[i].shape)])),
  );
}

/** Sums a broadcast gradient back down to the shape of the input it belongs to. */
function sumToShape(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, gradient.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(gradient, axes) : gradient, shape);
}

/** A bool mask as float32 0/1; the comparison's zero rule stops any gradient flowing into it. */
function indicator(mask: tf.Tensor): tf.Tensor {
  return tf.cast(mask, 'float32');
}

/** Brings a reduced gradient back to x's shape: the reduced axes are restored with size 1, then broadcast. */
function expandReduced(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const keptShape = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
  return tf.mul(tf.reshape(dy, keptShape), tf.onesLike(x));
}

/** Max/min reductions: the gradient goes to every element equal to the extremum (recomputed from x). */
function extremumRule(kernelName: string, axisAttr: string, reduce: typeof tf.max): tf.GradConfig {
  return rule(kernelName, ['x'], (dy, [x], attrs) => {
    const axis = attrs[axisAttr] as number | number[];
    return { x: () => tf.mul(expandReduced(dy, x, axis), indicator(tf.equal(x, expandReduced(reduce(x, axis), x, axis)))) };
  });
}

type Conv2DAttrs = tf.Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };

function conv2DBackpropInput(dy: tf.Tensor, filter: tf.Tensor, inputShape: number[], attrs: Conv2DAttrs): tf.Tensor {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const kernelAttrs = { strides, pad, dataFormat, dimRoundingMode, inputShape } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, kernelAttrs) as tf.Tensor;
}

function conv2DBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], attrs: Conv2DAttrs): tf.Tensor {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const kernelAttrs = { strides, pad, dataFormat, dimRoundingMode, filterShape } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, kernelAttrs) as tf.Tensor;
}

function conv2D(x: tf.Tensor, filter: tf.Tensor, attrs: Conv2DAttrs): tf.Tensor {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  return tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, strides, pad, dataFormat, 1, dimRoundingMode);
}

function assertNoDilation(attrs: Conv2DAttrs): void {
  const dilations = attrs.dilations ?? 1;
  if (!(Array.isArray(dilations) ? dilations : [dilations]).every((d) => d === 1)) {
    throw new Error(`ganc autodiff: conv2d gradients support dilation 1 only, got ${String(dilations)}`);
  }
}

/** C = op(A)·op(B) with op = optional transpose: the four standard adjoint cases. */
function batchMatMulGrads(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): [tf.Tensor, tf.Tensor] {
  if (!transposeA && !transposeB) return [tf.matMul(dy, b, false, true), tf.matMul(a, dy, true, false)];
  if (!transposeA && transposeB) return [tf.matMul(dy, b, false, false), tf.matMul(dy, a, true, false)];
  if (transposeA && !transposeB) return [tf.matMul(b, dy, false, true), tf.matMul(a, dy, false, false)];
  return [tf.matMul(b, dy, true, true), tf.matMul(dy, a, true, true)];
}

/** The table: registered by installGradientFixes(), replacing whatever tfjs had for the kernel. */
export const GRADIENT_RULES: readonly tf.GradConfig[] = [
  // ── arithmetic ──
  rule(tf.Add, ['a', 'b'], (dy, [a, b]) => ({ a: () => sumToShape(dy, a.shape), b: () => sumToShape(dy, b.shape) })),
  listRule(tf.AddN, (dy, saved) => Object.fromEntries(saved.map((_, i) => [String(i), () => tf.clone(dy)]))),
  rule(tf.Sub, ['a', 'b'], (dy, [a, b]) => ({ a: () => sumToShape(dy, a.shape), b: () => sumToShape(tf.neg(dy), b.shape) })),
  rule(tf.Multiply, ['a', 'b'], (dy, [a, b]) => ({
    a: () => sumToShape(tf.mul(dy, b), a.shape),
    b: () => sumToShape(tf.mul(dy, a), b.shape),
  })),
  rule(tf.RealDiv, ['a', 'b'], (dy, [a, b]) => ({
    a: () => sumToShape(tf.div(dy, b), a.shape),
    b: () => sumToShape(tf.neg(tf.div(tf.mul(dy, a), tf.square(b))), b.shape),
  })),
  rule(tf.SquaredDifference, ['a', 'b'], (dy, [a, b]) => {
    const twiceDifference = () => tf.mul(dy, tf.mul(tf.sub(a, b), 2));
    return { a: () => sumToShape(twiceDifference(), a.shape), b: () => sumToShape(tf.neg(twiceDifference()), b.shape) };
  }),
  rule(tf.Neg, ['x'], (dy) => ({ x: () => tf.neg(dy) })),
  unary(tf.Square, (x) => tf.mul(x, 2)),
  unary(tf.Reciprocal, (x) => tf.neg(tf.reciprocal(tf.square(x)))),
  unary(tf.Sqrt, (x) => tf.div(0.5, tf.sqrt(x))),
  unary(tf.Rsqrt, (x) => tf.mul(-0.5, tf.div(tf.rsqrt(x), x))),
  /**
   * Pow: d/da = b·a^(b−1), d/db = a^b·log(a) (0 where a ≤ 0). Both evaluate the unselected where()
   * branch at a harmless point, so its zero-weighted gradient stays 0 rather than 0·∞ = NaN: this
   * keeps e.g. the third derivative of a² finite at a = 0 (b−1 = 0 selects the exact zero).
   */
  rule(tf.Pow, ['a', 'b'], (dy, [a, b]) => ({
    a: () => {
      const exponentIsZero = tf.equal(b, 0);
      const safeBase = tf.where(exponentIsZero, tf.onesLike(a), a);
      const slope = tf.mul(b, tf.pow(safeBase, tf.sub(b, 1)));
      return sumToShape(tf.mul(dy, tf.where(exponentIsZero, tf.zerosLike(slope), slope)), a.shape);
    },
    b: () => {
      const positive = tf.greater(a, 0);
      const safeLog = tf.log(tf.where(positive, a, tf.onesLike(a)));
      const logBase = tf.where(positive, safeLog, tf.zerosLike(safeLog));
      return sumToShape(tf.mul(dy, tf.mul(tf.pow(a, b), logBase)), b.shape);
    },
  })),
  rule(tf.Maximum, ['a', 'b'], (dy, [a, b]) => ({
    a: () => sumToShape(tf.mul(dy, indicator(tf.greaterEqual(a, b))), a.shape),
    b: () => sumToShape(tf.mul(dy, indicator(tf.less(a, b))), b.shape),
  })),
  rule(tf.Minimum, ['a', 'b'], (dy, [a, b]) => ({
    a: () => sumToShape(tf.mul(dy, indicator(tf.lessEqual(a, b))), a.shape),
    b: () => sumToShape(tf.mul(dy, indicator(tf.greater(a, b))), b.shape),
  })),
  unary(tf.ClipByValue, (x, attrs) =>
    indicator(tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number))),
  ),

  // ── transcendental and activations (all recomputed from the input, never the saved output) ──
  unary(tf.Exp, (x) => tf.exp(x)),
  unary(tf.Log, (x) => tf.reciprocal(x)),
  unary(tf.Log1p, (x) => tf.reciprocal(tf.add(x, 1))),
  unary(tf.Sin, (x) => tf.cos(x)),
  unary(tf.Cos, (x) => tf.neg(tf.sin(x))),
  unary(tf.Tanh, (x) => tf.sub(1, tf.square(tf.tanh(x)))),
  unary(tf.Sigmoid, (x) => {
    const s = tf.sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  }),
  unary(tf.Softplus, (x) => tf.sigmoid(x)),
  unary(tf.Elu, (x) => tf.where(tf.greater(x, 0), tf.onesLike(x), tf.exp(x))),
  // step(x, a) is 1 above 0 and a elsewhere: the whole derivative in one op (it sits on the hot path of
  // every D, and double backprop differentiates it again; Step's own gradient is zero).
  rule(tf.Relu, ['x'], (dy, [x]) => ({ x: () => stepMultiply(dy, x, 0) })),
  rule(tf.LeakyRelu, ['x'], (dy, [x], attrs) => ({ x: () => stepMultiply(dy, x, attrs.alpha as number) })),
  // The fused gradient's own: linear in dy with the same mask; step is piecewise constant in x.
  rule(STEP_MULTIPLY, ['x'], (ddx, [x], attrs) => ({
    dy: () => stepMultiply(ddx, x, attrs.alpha as number),
    x: () => tf.zeros(x.shape),
  })),
  rule(tf.Prelu, ['x', 'alpha'], (dy, [x, alpha]) => {
    const positive = tf.greater(x, 0);
    return {
      x: () => tf.mul(dy, tf.where(positive, tf.onesLike(x), tf.mul(tf.onesLike(x), alpha))),
      alpha: () => sumToShape(tf.mul(dy, tf.where(positive, tf.zerosLike(x), x)), alpha.shape),
    };
  }),
  unary(tf.Abs, (x) => tf.sign(x)),

  // ── piecewise constant: zero ──
  ...[tf.Step, tf.Sign, tf.Floor, tf.Ceil, tf.Round, tf.ZerosLike, tf.OnesLike, tf.IsNan, tf.IsInf, tf.IsFinite, tf.LogicalNot, tf.ArgMax, tf.ArgMin].map(
    (name) => zero(name, ['x']),
  ),
  ...[tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual, tf.LogicalAnd, tf.LogicalOr].map(
    (name) => zero(name, ['a', 'b']),
  ),
  rule(tf.Select, ['condition'], (dy, [condition]) => ({
    condition: () => tf.zeros(condition.shape),
    t: () => tf.mul(dy, indicator(condition)),
    e: () => tf.mul(dy, indicator(tf.logicalNot(condition))),
  })),

  // ── dtype and shape ──
  rule(tf.Cast, [], (dy) => ({ x: () => tf.clone(dy) })),
  rule(tf.Identity, [], (dy) => ({ x: () => tf.clone(dy) })),
  rule(tf.Reshape, ['x'], (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) })),
  rule(tf.ExpandDims, ['input'], (dy, [input]) => ({ input: () => tf.reshape(dy, input.shape) })),
  rule(tf.Transpose, [], (dy, _saved, attrs) => ({
    x: () => tf.transpose(dy, tf.backend_util.getUndoAxesPermutation(attrs.perm as number[])),
  })),
  rule(tf.Tile, ['x'], (dy, [x], attrs) => ({
    // dy's axis i has reps[i] copies of x's axis i: split it into [reps, size] and sum the copies.
    x: () => {
      const reps = attrs.reps as number[];
      const split = tf.reshape(dy, x.shape.flatMap((size, i) => [reps[i], size]));
      return tf.reshape(tf.sum(split, x.shape.map((_, i) => 2 * i)), x.shape);
    },
  })),
  rule(tf.Slice, ['x'], (dy, [x], attrs) => ({
    x: () => {
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
      return tf.pad(dy, x.shape.map((extent, i) => [begin[i], extent - begin[i] - size[i]] as [number, number]));
    },
  })),
  rule(tf.PadV2, ['x'], (dy, [x], attrs) => ({
    x: () => tf.slice(dy, (attrs.paddings as [number, number][]).map(([before]) => before), x.shape),
  })),
  listRule(tf.Concat, (dy, saved, attrs) => {
    const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0];
    const pieces = () => tf.split(dy, saved.map((t) => t.shape[axis]), axis);
    return Object.fromEntries(saved.map((_, i) => [String(i), () => pieces()[i]]));
  }),
  listRule(tf.Pack, (dy, saved, attrs) =>
    Object.fromEntries(saved.map((_, i) => [String(i), () => tf.unstack(dy, attrs.axis as number)[i]])),
  ),
  multiOutputRule(tf.Unpack, [], (dys, _saved, attrs) => ({ value: () => tf.stack(dys, attrs.axis as number) })),
  multiOutputRule(tf.SplitV, [], (dys, _saved, attrs) => ({ x: () => tf.concat(dys, attrs.axis as number) })),

  // ── reductions ──
  rule(tf.Sum, ['x'], (dy, [x], attrs) => ({ x: () => expandReduced(dy, x, attrs.axis as number | number[]) })),
  rule(tf.Mean, ['x'], (dy, [x], attrs) => ({
    x: () => {
      const axis = attrs.axis as number | number[];
      const count = tf.util.parseAxisParam(axis, x.shape).reduce((n, i) => n * x.shape[i], 1);
      return tf.div(expandReduced(dy, x, axis), count);
    },
  })),
  extremumRule(tf.Max, 'reductionIndices', tf.max),
  extremumRule(tf.Min, 'axis', tf.min),

  // ── linear algebra and convolution ──
  rule(tf.BatchMatMul, ['a', 'b'], (dy, [a, b], attrs) => {
    const grads = () => batchMatMulGrads(dy, a, b, attrs.transposeA as boolean, attrs.transposeB as boolean);
    return { a: () => sumToShape(grads()[0], a.shape), b: () => sumToShape(grads()[1], b.shape) };
  }),
  rule(tf.Conv2D, ['x', 'filter'], (dy, [x, filter], attrs) => {
    const convAttrs = attrs as unknown as Conv2DAttrs;
    assertNoDilation(convAttrs);
    return {
      x: () => conv2DBackpropInput(dy, filter, x.shape, convAttrs),
      filter: () => conv2DBackpropFilter(x, dy, filter.shape, convAttrs),
    };
  }),
  // conv2d + bias in one kernel (conv2dWithBias in ops.ts): Conv2D's rule for x and filter, Add's for the bias.
  // With leakyAlpha (>= 0) the kernel also applied leakyRelu: its gradient is step(preactivation, alpha), which
  // equals step(output, alpha) (same sign, zero at zero), so the output is saved; step is piecewise constant, so
  // no derivative is lost through that saved output.
  {
    kernelName: CONV2D_BIAS,
    inputsToSave: ['x', 'filter', 'bias'],
    outputsToSave: [true],
    gradFunc: (dyOut, saved, attrs) => {
      const [x, filter, bias, y] = saved;
      const convAttrs = attrs as unknown as Conv2DAttrs;
      assertNoDilation(convAttrs);
      const alpha = attrs.leakyAlpha as number | undefined | null;
      const dy = alpha === undefined || alpha === null ? (dyOut as tf.Tensor) : stepMultiply(dyOut as tf.Tensor, y, alpha);
      return {
        x: () => conv2DBackpropInput(dy, filter, x.shape, convAttrs),
        filter: () => conv2DBackpropFilter(x, dy, filter.shape, convAttrs),
        bias: () => sumToShape(dy, bias.shape),
      };
    },
  },
  // Training-mode batch norm in one kernel (batchNormTrain in ops.ts); outputs y, mean, variance over all axes
  // but the last. With x̂ = (x − mean)·r, r = (variance + eps)^(−1/2) and n rows per channel:
  //   dx = k·dy + x̂·(2·dvariance/(n·r) − k·Σ(dy·x̂)/n) + (dmean − k·Σdy)/n, k = gamma·r;
  //   dgamma = Σ(dy·x̂); dbeta = Σdy.
  // (The mean's own dependence on x drops out of the variance's: Σ(x − mean) = 0.) Where no tape records this
  // backward pass (the outermost gradient), nothing can differentiate it again, and the native derivative
  // kernel computes it in two passes from the saved mean and variance. Otherwise it is built from primitives,
  // on a mean and variance recomputed by the kernel: saved outputs are not linked to x on the tape (see the
  // header), so a second derivative through them would come out wrong.
  {
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma', 'beta'],
    outputsToSave: [false, true, true],
    gradFunc: (dyOuts, saved, attrs) => {
      const [dy, dMean, dVariance] = dyOuts as tf.Tensor[];
      const [x, gamma, beta, savedMean, savedVariance] = saved;
      if (!tf.engine().isTapeOn() && tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend())) {
        const inputs = { x, gamma, mean: savedMean, variance: savedVariance, dy, dMean, dVariance };
        const [dx, dGamma, dBeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs, attrs) as tf.Tensor[];
        return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
      }
      const [, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, attrs) as tf.Tensor[];
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const n = x.size / x.shape[x.rank - 1];
      const r = tf.rsqrt(tf.add(variance, attrs.eps as number));
      const normalised = tf.mul(tf.sub(x, mean), r);
      const sumDy = tf.sum(dy, axes);
      const sumDyNormalised = tf.sum(tf.mul(dy, normalised), axes);
      const k = tf.mul(gamma, r);
      return {
        x: () => {
          const slope = tf.sub(tf.div(tf.mul(dVariance, 2), tf.mul(r, n)), tf.div(tf.mul(k, sumDyNormalised), n));
          const offset = tf.div(tf.sub(dMean, tf.mul(k, sumDy)), n);
          return tf.add(tf.add(tf.mul(dy, k), tf.mul(normalised, slope)), offset);
        },
        gamma: () => sumDyNormalised,
        beta: () => sumDy,
      };
    },
  },
  // conv2dTranspose runs this kernel forward; it is linear in dy and in filter.
  rule(tf.Conv2DBackpropInput, ['dy', 'filter'], (ddx, [dy, filter], attrs) => {
    const convAttrs = attrs as unknown as Conv2DAttrs;
    return { dy: () => conv2D(ddx, filter, convAttrs), filter: () => conv2DBackpropFilter(ddx, dy, filter.shape, convAttrs) };
  }),
  // dW = x ⋆ dy is bilinear: its adjoints are the input backprop of ddW and the forward conv with ddW.
  rule(tf.Conv2DBackpropFilter, ['x', 'dy'], (ddFilter, [x, dy], attrs) => {
    const convAttrs = attrs as unknown as Conv2DAttrs;
    return { x: () => conv2DBackpropInput(dy, ddFilter, x.shape, convAttrs), dy: () => conv2D(x, ddFilter, convAttrs) };
  }),

  // ── pooling (the fd_lenet feature classifier; no GAN term differentiates through it twice) ──
  // First order only: the pooled output is recomputed from x rather than saved, and MaxPoolGrad
  // has no rule, so a second derivative through maxPool fails loudly instead of coming out wrong.
  rule(tf.MaxPool, ['x'], (dy, [x], attrs) => {
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
    return {
      x: () => {
        const output = tf.maxPool(x as tf.Tensor4D, filterSize, strides, pad, dimRoundingMode);
        return tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output }, attrs) as tf.Tensor;
      },
    };
  }),
];

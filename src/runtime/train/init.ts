// Initial parameter values, as each ParamSpec's `init` says, from a seeded stream.
import * as tf from '@tensorflow/tfjs-core';
import type { GanIR, ParamSpec } from '../../ir/ir.js';
import type { ParamTensors } from '../graph/network.js';
import type { Rng } from '../rng.js';

export function allParams(ir: GanIR): ParamSpec[] {
  return [ir.generator, ir.discriminator].flatMap((net) => net.layers.flatMap((l) => l.params));
}

export function initParams(ir: GanIR, rng: Rng): ParamTensors {
  const params: ParamTensors = {};
  for (const spec of allParams(ir)) params[spec.name] = tf.keep(tf.tensor(initialValues(spec, rng), spec.shape));
  return params;
}

function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  switch (spec.init.kind) {
    case 'zeros':
      return values;
    case 'ones':
      return values.fill(1);
    case 'uniform_fan_in': {
      const bound = 1 / Math.sqrt(spec.init.fanIn);
      return rng.fillUniform(values, -bound, bound);
    }
    case 'normal_unit': {
      rng.fillNormal(values);
      let sumSquares = 0;
      for (const v of values) sumSquares += v * v;
      const norm = Math.sqrt(sumSquares) || 1;
      return values.map((v) => v / norm);
    }
    case 'kaiming_normal':
      return scaled(rng.fillNormal(values), Math.sqrt(2 / spec.init.fanIn));
    case 'xavier_uniform': {
      const bound = Math.sqrt(6 / (spec.init.fanIn + spec.init.fanOut));
      return rng.fillUniform(values, -bound, bound);
    }
    case 'normal':
      return scaled(rng.fillNormal(values), spec.init.std);
    case 'orthogonal': {
      const columns = spec.shape[spec.shape.length - 1];
      return orthogonalMatrix(count / columns, columns, rng);
    }
  }
}

function scaled(values: Float32Array, factor: number): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] *= factor;
  return values;
}

/**
 * A rows × columns matrix (row-major) with orthonormal columns, or orthonormal rows when it is wider
 * than tall, as torch.nn.init.orthogonal_ draws it: the Q of a QR decomposition of a standard normal
 * matrix with the signs of R's diagonal folded in (so Q is Haar-distributed). ganc's kernels keep
 * PyTorch's first weight axis (the output channels; a transposed conv's input channels) last, so the
 * kernel viewed as (everything else) × (last axis) is PyTorch's matrix transposed: orthogonality holds
 * for both. QR by modified Gram-Schmidt in float64, which is exact enough at these sizes.
 */
export function orthogonalMatrix(rows: number, columns: number, rng: Rng): Float32Array {
  const tall = rows >= columns;
  const [m, n] = tall ? [rows, columns] : [columns, rows];
  // n vectors of length m: the columns of an m × n Gaussian matrix, orthonormalised in turn.
  const q = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => rng.normal()));
  for (let j = 0; j < n; j++) {
    const v = q[j];
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[k][i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= dot * q[k][i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    // R's diagonal entry is this norm (positive), so its sign is already folded in.
    for (let i = 0; i < m; i++) v[i] /= norm;
  }
  const out = new Float32Array(rows * columns);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      if (tall) out[i * columns + j] = q[j][i];
      else out[j * columns + i] = q[j][i];
    }
  }
  return out;
}

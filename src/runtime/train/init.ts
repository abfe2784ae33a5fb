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
  }
}

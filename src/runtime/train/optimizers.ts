// Adam, SGD (with momentum) and RMSprop over named parameter tensors, with PyTorch's update rules,
// so that optimizer state is plain named tensors a checkpoint can hold.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '../../compiler/ir.js';
import type { ParamTensors } from '../graph/network.js';

export interface OptimizerState {
  /** Number of updates applied so far (Adam's bias correction needs it). */
  step: number;
  /** Slot tensors by `<param>/<slot>`, e.g. `D.0.conv.kernel/m`. */
  slots: ParamTensors;
}

export function emptyOptimizerState(): OptimizerState {
  return { step: 0, slots: {} };
}

/**
 * Applies one update in place: `params` and `state.slots` get new tensors, the old ones are disposed.
 * `grads` are left to the caller.
 */
export function applyUpdate(spec: OptimizerSpec, params: ParamTensors, grads: ParamTensors, state: OptimizerState): void {
  state.step += 1;
  const t = state.step;
  for (const [name, g] of Object.entries(grads)) {
    const slot = (s: string): tf.Tensor => state.slots[`${name}/${s}`] ?? tf.zerosLike(g);
    const setSlot = (s: string, value: tf.Tensor): void => replace(state.slots, `${name}/${s}`, value);
    const p = params[name];
    switch (spec.kind) {
      case 'adam': {
        const m = tf.tidy(() => tf.add(tf.mul(spec.beta1, slot('m')), tf.mul(1 - spec.beta1, g)));
        const v = tf.tidy(() => tf.add(tf.mul(spec.beta2, slot('v')), tf.mul(1 - spec.beta2, tf.square(g))));
        const next = tf.tidy(() => {
          const mHat = tf.div(m, 1 - spec.beta1 ** t);
          const vHat = tf.div(v, 1 - spec.beta2 ** t);
          return tf.sub(p, tf.mul(spec.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), spec.eps))));
        });
        setSlot('m', m);
        setSlot('v', v);
        replace(params, name, next);
        break;
      }
      case 'sgd': {
        if (spec.momentum === 0) {
          replace(params, name, tf.tidy(() => tf.sub(p, tf.mul(spec.lr, g))));
          break;
        }
        // PyTorch: the first step's buffer is the gradient itself.
        const buf = tf.tidy(() => (t === 1 ? g.clone() : tf.add(tf.mul(spec.momentum, slot('momentum')), g)));
        const next = tf.tidy(() => tf.sub(p, tf.mul(spec.lr, buf)));
        setSlot('momentum', buf);
        replace(params, name, next);
        break;
      }
      case 'rmsprop': {
        const sq = tf.tidy(() => tf.add(tf.mul(spec.decay, slot('square_avg')), tf.mul(1 - spec.decay, tf.square(g))));
        const next = tf.tidy(() => tf.sub(p, tf.mul(spec.lr, tf.div(g, tf.add(tf.sqrt(sq), spec.eps)))));
        setSlot('square_avg', sq);
        replace(params, name, next);
        break;
      }
    }
  }
}

/** Sets map[key] = value and disposes what was there. */
export function replace(map: ParamTensors, key: string, value: tf.Tensor): void {
  const old = map[key];
  map[key] = tf.keep(value);
  if (old && old !== value) old.dispose();
}

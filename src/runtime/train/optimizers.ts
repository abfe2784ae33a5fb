// Adam, SGD (with momentum) and RMSprop over named parameter tensors, with PyTorch's update rules,
// so that optimizer state is plain named tensors a checkpoint can hold.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '../../ir/ir.js';
import type { ParamTensors } from '../graph/network.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../kernels/adam-update.js';

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
 * The learning rate of iteration t (0-based; every D step of an iteration and its G step share it), as
 * OptimizerSpec's schedule says (ir.ts, LrSchedule). A function of the iteration alone, so a resumed run
 * continues with exactly the rates it would have had.
 */
export function learningRate(spec: OptimizerSpec, t: number): number {
  const { decay, warmup, steps } = spec.schedule;
  if (t < warmup) return (spec.lr * (t + 1)) / warmup;
  if (decay === 'none') return spec.lr;
  // Past the schedule's last step (a run trained longer than its spec's steps) the rate stays at 0.
  const span = steps - warmup;
  return span > 0 ? spec.lr * Math.max(0, 1 - (t - warmup) / span) : 0;
}

/**
 * Applies one update in place: `params` and `state.slots` get new tensors, the old ones are disposed.
 * `grads` are left to the caller. `lr`: this update's learning rate (learningRate), by default the spec's.
 */
export function applyUpdate(
  spec: OptimizerSpec, params: ParamTensors, grads: ParamTensors, state: OptimizerState, lr = spec.lr,
): void {
  state.step += 1;
  const t = state.step;
  for (const [name, g] of Object.entries(grads)) {
    const slot = (s: string): tf.Tensor => state.slots[`${name}/${s}`] ?? tf.zerosLike(g);
    const setSlot = (s: string, value: tf.Tensor): void => replace(state.slots, `${name}/${s}`, value);
    const p = params[name];
    switch (spec.kind) {
      case 'adam': {
        const [m, v, next] = tf.tidy(() => adamUpdate({ ...spec, lr }, p, slot('m'), slot('v'), g, t));
        setSlot('m', m);
        setSlot('v', v);
        replace(params, name, next);
        break;
      }
      case 'sgd': {
        if (spec.momentum === 0) {
          replace(params, name, tf.tidy(() => tf.sub(p, tf.mul(lr, g))));
          break;
        }
        // PyTorch: the first step's buffer is the gradient itself.
        const buf = tf.tidy(() => (t === 1 ? g.clone() : tf.add(tf.mul(spec.momentum, slot('momentum')), g)));
        const next = tf.tidy(() => tf.sub(p, tf.mul(lr, buf)));
        setSlot('momentum', buf);
        replace(params, name, next);
        break;
      }
      case 'rmsprop': {
        const sq = tf.tidy(() => tf.add(tf.mul(spec.decay, slot('square_avg')), tf.mul(1 - spec.decay, tf.square(g))));
        const next = tf.tidy(() => tf.sub(p, tf.mul(lr, tf.div(g, tf.add(tf.sqrt(sq), spec.eps)))));
        setSlot('square_avg', sq);
        replace(params, name, next);
        break;
      }
    }
  }
}

type AdamSpec = Extract<OptimizerSpec, { kind: 'adam' }>;

/**
 * New [m, v, param] after Adam's update number t, in PyTorch 1.13's order of float32 operations: one
 * fused kernel where the backend has it (ganc's native route), else the same formula op by op.
 * Call inside tf.tidy: the intermediates are not disposed here.
 */
function adamUpdate(spec: AdamSpec, p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, t: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
    const attrs: AdamUpdateAttrs = { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, step: t };
    const [next, m1, v1] = tf.engine().runKernel(ADAM_UPDATE, { param: p, m, v, grad: g }, attrs) as tf.Tensor[];
    return [m1, v1, next];
  }
  const m1 = tf.add(tf.mul(m, spec.beta1), tf.mul(g, 1 - spec.beta1));
  const v1 = tf.add(tf.mul(v, spec.beta2), tf.mul(tf.square(g), 1 - spec.beta2));
  const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - spec.beta2 ** t)), spec.eps);
  const next = tf.add(p, tf.mul(tf.div(m1, denom), -spec.lr / (1 - spec.beta1 ** t)));
  return [m1, v1, next];
}

/** Sets map[key] = value and disposes what was there. */
export function replace(map: ParamTensors, key: string, value: tf.Tensor): void {
  const old = map[key];
  map[key] = tf.keep(value);
  if (old && old !== value) old.dispose();
}

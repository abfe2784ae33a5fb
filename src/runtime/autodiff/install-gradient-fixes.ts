// Registers ganc's gradient table (gradient-rules.ts) with tfjs-core. Call at runtime start, before
// any tf.grads, and again after loading any package that registers tfjs's own gradients (e.g.
// @tensorflow/tfjs-node imports @tensorflow/tfjs, whose rules would replace ganc's). Idempotent:
// it re-registers only when some kernel's gradient is not ganc's rule.
//
// tfjs's registerGradient warns about overriding an existing gradient only when the DEBUG flag is
// set, so there is no warning to silence in normal runs.
import * as tf from '@tensorflow/tfjs-core';
import { GRADIENT_RULES } from './gradient-rules.js';

export function installGradientFixes(): void {
  if (GRADIENT_RULES.every((rule) => tf.getGradient(rule.kernelName) === rule)) return;
  for (const rule of GRADIENT_RULES) tf.registerGradient(rule);
}

// Registers ganc's gradient rules with tfjs-core once per process. Call at runtime start, before
// any tf.grads; every helper in ops.ts that depends on the rules calls it too.
//
// tfjs's registerGradient only warns about overriding an existing gradient when the DEBUG flag is
// set, so no warning needs silencing in normal runs.
import * as tf from '@tensorflow/tfjs-core';
import { GRADIENT_RULES } from './gradient-rules.js';

let installed = false;

export function installGradientFixes(): void {
  if (installed) return;
  for (const rule of GRADIENT_RULES) tf.registerGradient(rule);
  installed = true;
}

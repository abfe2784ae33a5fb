// Higher-order automatic differentiation support for ganc's runtime.
export { GRADIENT_RULES } from './gradient-rules.js';
export { installGradientFixes } from './install-gradient-fixes.js';
export { batchNormTrain, gradOfSum, type BatchNormResult } from './ops.js';

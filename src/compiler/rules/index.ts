// Every checking rule, in the order they run. The order is the only dependency order: a rule reads only
// draft parts that rules before it write (test/compiler/rules/index.test.ts checks it). Diagnostics are
// sorted by position afterwards; rules that report at the same place report in this order.
import type { CheckRule } from '../context.js';
import { augmentRule } from './augment.js';
import { clipRule } from './clip.js';
import { dataRule } from './data.js';
import { ganNameRule } from './gan-name.js';
import { initRule } from './init.js';
import { latentRule } from './latent.js';
import { letsRule } from './lets.js';
import { lossRule } from './loss.js';
import { networkOutputsRule } from './network-outputs.js';
import { networksRule } from './networks.js';
import { normalizeRule } from './normalize.js';
import { optimizersRule } from './optimizers.js';
import { regConstantsRule } from './reg-constants.js';
import { regularizersRule } from './regularizers.js';
import { resourcesRule } from './resources.js';
import { statementsRule } from './statements.js';
import { trainRule } from './train.js';

export const RULES: readonly CheckRule[] = [
  statementsRule,
  ganNameRule,
  letsRule,
  dataRule,
  latentRule,
  normalizeRule,
  lossRule,
  initRule,
  networksRule,
  networkOutputsRule,
  augmentRule,
  regularizersRule,
  regConstantsRule,
  clipRule,
  trainRule,
  optimizersRule,
  resourcesRule,
];

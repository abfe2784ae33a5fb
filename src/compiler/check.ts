// AST → checked IR. Every rule runs, so one pass reports every problem; the IR exists only when
// there are none.
import type { SpecFile } from '../parser/ast.js';
import { byPosition, type Diagnostic } from '../parser/diagnostics.js';
import { CheckContext, type DraftIR } from './context.js';
import { type GanIR, IR_VERSION } from './ir.js';
import { checkClip } from './rules/clip.js';
import { checkData } from './rules/data.js';
import { ganName } from './rules/gan-name.js';
import { checkLatent } from './rules/latent.js';
import { checkLets } from './rules/lets.js';
import { checkLoss } from './rules/loss.js';
import { checkNetwork } from './rules/network.js';
import { checkNetworkEnds } from './rules/network-io.js';
import { checkNormalize } from './rules/normalize.js';
import { checkOptimizers } from './rules/optimizers.js';
import { regularizersRule } from './rules/regularizers.js';
import { statementsRule } from './rules/statements.js';
import { checkTrain } from './rules/train.js';

export interface CheckResult {
  ir?: GanIR;
  diagnostics: Diagnostic[];
}

export function check(ast: SpecFile, file: string): CheckResult {
  const ctx = new CheckContext(ast, file);
  const s = ctx.statements;
  statementsRule.check(ctx, {});
  const constants = checkLets(s.lets, ctx);
  const data = checkData(s.data, ctx);
  const latent = checkLatent(s.latent, ctx);
  const normalize = checkNormalize(s.normalize, ctx);
  const loss = checkLoss(s.loss, ctx);
  const generator = checkNetwork(s.generator, 'G', latent && [latent.dim], false, ctx);
  const discriminator = checkNetwork(s.discriminator, 'D', data?.shape, normalize === 'sn', ctx);
  checkNetworkEnds(generator, discriminator, data?.shape, ctx);
  const draft: DraftIR = {};
  regularizersRule.check(ctx, draft);
  const regularizers = draft.regularizers ?? [];
  const clip = checkClip(s.clip, ctx);
  const optimizers = checkOptimizers(s.optimizers, ctx);
  const train = checkTrain(s.train, ctx);

  const diagnostics = ctx.diagnostics.sort(byPosition);
  if (diagnostics.length > 0 || !data || !latent || !generator?.network || !discriminator?.network) {
    return { diagnostics };
  }
  const ir: GanIR = {
    irVersion: IR_VERSION,
    name: ganName(s.gan, file),
    data,
    latent,
    generator: generator.network,
    discriminator: discriminator.network,
    normalize,
    loss,
    constants,
    regularizers,
    clip,
    optimizers,
    train,
  };
  return { ir, diagnostics };
}

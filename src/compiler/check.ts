// AST → checked IR. Every rule runs, so one pass reports every problem; the IR exists only when
// there are none.
import type { SpecFile } from '../parser/ast.js';
import { byPosition, type Diagnostic } from '../parser/diagnostics.js';
import { CheckContext, type CheckOptions, type DraftIR } from './context.js';
import { type GanIR, IR_VERSION } from '../ir/ir.js';
import { RULES } from './rules/index.js';

export interface CheckResult {
  ir?: GanIR;
  diagnostics: Diagnostic[];
}

export function check(ast: SpecFile, file: string, options: CheckOptions = {}): CheckResult {
  const ctx = new CheckContext(ast, file, options);
  const draft: DraftIR = {};
  for (const rule of RULES) rule.check(ctx, draft);
  const diagnostics = ctx.diagnostics.sort(byPosition);
  if (diagnostics.length > 0) return { diagnostics };
  return { ir: completeIR(draft), diagnostics };
}

/** The IR of a draft without errors, where every part is written: a part left unset is a checker bug. */
function completeIR(draft: DraftIR): GanIR {
  const {
    name, data, latent, generator, discriminator, normalize, loss, constants, regularizers, clip, optimizers, train, augment,
  } = draft;
  if (name === undefined || !data || !latent || !generator?.network || !discriminator?.network
    || !normalize || !loss || !constants || !regularizers || clip === undefined || !optimizers || !train) {
    throw new Error('the checker reported no errors but a rule left its part of the IR unset');
  }
  return {
    irVersion: IR_VERSION,
    name,
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
    ...(augment ? { augment } : {}),
  };
}

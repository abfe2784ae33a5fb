// `optimizer D|G adam|sgd|rmsprop [options] [decay linear] [warmup N]`; a network without one gets
// Adam(2e-4, 0.5, 0.999, 1e-8) at a constant learning rate.
import type { OptimizerStatement, StatementOption } from '../../parser/ast.js';
import { type CheckContext, defineRule, lineOf } from '../context.js';
import type { LrSchedule, NetworkName, OptimizerSpec } from '../../ir/ir.js';
import { collectOptions, type OptionRules, type Options } from '../options.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { POSITIVE, readReal, readWhole, UNIT_HALF_OPEN } from '../values.js';
import { isOneOf, LR_DECAYS, NETWORKS, OPTIMIZERS, type OptimizerKind } from '../vocabulary.js';

const DEFAULT_OPTIMIZER = { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 } as const;
/** Defaults of sgd and rmsprop beyond the language reference: PyTorch's (momentum 0; alpha 0.99, eps 1e-8). */
const SGD_MOMENTUM = 0;
const RMSPROP_DECAY = 0.99;

// Every optimizer takes the schedule's `decay linear|none` and `warmup N`. RMSprop's own `decay` (its
// smoothing constant) is a number, so a `decay` whose value is a name is the schedule there too.
const OPTION_RULES: Record<OptimizerKind, OptionRules> = {
  adam: { lr: 1, betas: 2, eps: 1, decay: 1, warmup: 1 },
  sgd: { lr: 1, momentum: 1, decay: 1, warmup: 1 },
  rmsprop: { lr: 1, decay: 1, eps: 1, warmup: 1 },
};

export const optimizersRule = defineRule({
  name: 'optimizers',
  reads: ['constants', 'train'],
  writes: ['optimizers'],
  check(ctx, draft) {
    // A schedule spans the spec's `train steps` (the train rule always writes them, defaults included).
    if (!draft.train) throw new Error('internal: the optimizers rule ran before the train rule');
    draft.optimizers = checkOptimizers(ctx.statements.optimizers, draft.train.steps, ctx);
  },
});

function checkOptimizers(statements: OptimizerStatement[], steps: number, ctx: CheckContext): Record<NetworkName, OptimizerSpec> {
  const constant: OptimizerSpec = { ...DEFAULT_OPTIMIZER, schedule: { decay: 'none', warmup: 0, steps } };
  const result: Record<NetworkName, OptimizerSpec> = { D: constant, G: constant };
  const seen = new Map<NetworkName, OptimizerStatement>();
  for (const statement of statements) {
    const network = statement.network.name;
    if (!isOneOf(NETWORKS, network)) {
      ctx.report(statement.network, `an optimizer is for D or G, got '${network}'`);
      continue;
    }
    const first = seen.get(network);
    if (first) {
      ctx.report(statement, `duplicate optimizer for ${network}: the first is at ${lineOf(first.loc)}`);
      continue;
    }
    seen.set(network, statement);
    const spec = optimizerSpec(statement, steps, ctx);
    if (spec) result[network] = spec;
  }
  return result;
}

function optimizerSpec(statement: OptimizerStatement, steps: number, ctx: CheckContext): OptimizerSpec | undefined {
  const kind = statement.algorithm.name;
  if (!isOneOf(OPTIMIZERS, kind)) {
    ctx.report(statement.algorithm, unknownNameMessage('optimizer', kind, OPTIMIZERS));
    return undefined;
  }
  const isSchedule = (option: StatementOption): boolean => option.kind === 'Option' && option.name === 'decay'
    && (kind !== 'rmsprop' || option.values.some((v) => v.kind === 'Name' && !ctx.lets.has(v.name)));
  const owner = `'optimizer ${kind}'`;
  const o = collectOptions(statement.options.filter((option) => !isSchedule(option)), OPTION_RULES[kind], owner, ctx);
  const scheduleOptions = collectOptions(statement.options.filter(isSchedule), { decay: 1 }, owner, ctx);
  const real = (values: Options['lr'], index: number, what: string, range: typeof POSITIVE, fallback: number): number =>
    (values ? readReal(values[index], ctx, what, range) : undefined) ?? fallback;
  const lr = real(o.lr, 0, 'lr', POSITIVE, DEFAULT_OPTIMIZER.lr);
  const schedule: LrSchedule = {
    decay: scheduleOptions.decay ? readDecay(scheduleOptions.decay[0], ctx) : 'none',
    warmup: (o.warmup ? readWarmup(o.warmup[0], steps, ctx) : undefined) ?? 0,
    steps,
  };
  switch (kind) {
    case 'adam':
      return {
        kind, lr,
        beta1: real(o.betas, 0, 'beta1', UNIT_HALF_OPEN, DEFAULT_OPTIMIZER.beta1),
        beta2: real(o.betas, 1, 'beta2', UNIT_HALF_OPEN, DEFAULT_OPTIMIZER.beta2),
        eps: real(o.eps, 0, 'eps', POSITIVE, DEFAULT_OPTIMIZER.eps),
        schedule,
      };
    case 'sgd':
      return { kind, lr, momentum: real(o.momentum, 0, 'momentum', UNIT_HALF_OPEN, SGD_MOMENTUM), schedule };
    case 'rmsprop':
      return {
        kind, lr,
        decay: real(o.decay, 0, 'decay', UNIT_HALF_OPEN, RMSPROP_DECAY),
        eps: real(o.eps, 0, 'eps', POSITIVE, DEFAULT_OPTIMIZER.eps),
        schedule,
      };
  }
}

/** `warmup N`: shorter than the run, or the rate would never reach lr. */
function readWarmup(e: Parameters<typeof readWhole>[0], steps: number, ctx: CheckContext): number | undefined {
  const warmup = readWhole(e, ctx, 'warmup', 0);
  if (warmup === undefined || warmup < steps) return warmup;
  ctx.report(e, `warmup ${warmup} must be shorter than the run (train steps ${steps})`);
  return undefined;
}

/** The learning-rate schedule's `decay linear` (to 0 at the last step) or `decay none`. */
function readDecay(e: Parameters<typeof readReal>[0], ctx: CheckContext): LrSchedule['decay'] {
  if (e.kind === 'Name' && isOneOf(LR_DECAYS, e.name)) return e.name;
  ctx.report(e, e.kind === 'Name'
    ? unknownNameMessage('learning-rate decay', e.name, LR_DECAYS)
    : "decay is the learning-rate schedule: 'decay linear' (to 0 at the last step) or 'decay none'");
  return 'none';
}

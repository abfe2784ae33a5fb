// `train [steps N] [ndis N] [ema X] [seed N] [log N] [sample N] [checkpoint N] [eval N]`.
import type { TrainStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { TrainSpec } from '../../ir/ir.js';
import { collectOptions } from '../options.js';
import { readReal, readWhole, UNIT_HALF_OPEN } from '../values.js';

const TRAIN_DEFAULTS: TrainSpec = {
  steps: 10000, ndis: 1, ema: 0, seed: 0, logEvery: 10, sampleEvery: 500, checkpointEvery: 1000, evalEvery: 1000,
};

const OPTION_RULES = { steps: 1, ndis: 1, ema: 1, seed: 1, log: 1, sample: 1, checkpoint: 1, eval: 1 } as const;

export const trainRule = defineRule({
  name: 'train',
  reads: ['constants'],
  writes: ['train'],
  check(ctx, draft) {
    draft.train = checkTrain(ctx.statements.train, ctx);
  },
});

function checkTrain(statement: TrainStatement | undefined, ctx: CheckContext): TrainSpec {
  if (!statement) return TRAIN_DEFAULTS;
  const o = collectOptions(statement.options, OPTION_RULES, "'train'", ctx);
  const whole = (values: typeof o.steps, what: string, fallback: number, min = 1): number =>
    (values ? readWhole(values[0], ctx, what, min) : undefined) ?? fallback;
  return {
    steps: whole(o.steps, 'steps', TRAIN_DEFAULTS.steps),
    ndis: whole(o.ndis, 'ndis', TRAIN_DEFAULTS.ndis),
    ema: (o.ema ? readReal(o.ema[0], ctx, 'ema', UNIT_HALF_OPEN) : undefined) ?? TRAIN_DEFAULTS.ema,
    seed: whole(o.seed, 'seed', TRAIN_DEFAULTS.seed, 0),
    logEvery: whole(o.log, 'log', TRAIN_DEFAULTS.logEvery),
    sampleEvery: whole(o.sample, 'sample', TRAIN_DEFAULTS.sampleEvery),
    checkpointEvery: whole(o.checkpoint, 'checkpoint', TRAIN_DEFAULTS.checkpointEvery),
    evalEvery: whole(o.eval, 'eval', TRAIN_DEFAULTS.evalEvery),
  };
}

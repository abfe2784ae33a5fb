// What a spec would cost to train, refused before anything runs: each size-setting number within its
// documented maximum (resources.ts's LIMITS), no tensor larger than a typed array holds, and the
// estimated memory of one training step within the budget (`--memory-budget`, default 8 GiB).
import type { Expression, SourceLocation, StatementOption } from '../../parser/ast.js';
import { type CheckContext, defineRule, type DraftIR } from '../context.js';
import {
  DEFAULT_MEMORY_BUDGET, estimateMemory, formatMemory, LIMITS, oversizedTensor, type ResourceParts,
} from '../resources.js';

export const resourcesRule = defineRule({
  name: 'resources',
  reads: ['data', 'generator', 'discriminator', 'regularizers', 'normalize', 'optimizers', 'train', 'augment'],
  writes: [],
  check(ctx, draft) {
    const withinLimits = checkLimits(ctx, draft);
    const parts = resourceParts(draft);
    if (!withinLimits || !parts) return;
    // A tensor no typed array can hold is the precise complaint; the memory estimate would only repeat it.
    if (checkTensors(ctx, parts)) checkMemory(ctx, parts);
  },
});

type Draft = Readonly<Pick<DraftIR, 'data' | 'generator' | 'discriminator' | 'regularizers' | 'normalize' | 'optimizers' | 'train' | 'augment'>>;

/** Where an option's first value is written, or undefined when the statement does not give it (its default then applies). */
function optionValue(options: readonly StatementOption[] | undefined, name: string): Expression | undefined {
  const option = options?.find((o) => o.kind === 'Option' && o.name === name);
  return option?.values[0];
}

function checkLimits(ctx: CheckContext, draft: Draft): boolean {
  const before = ctx.diagnostics.length;
  const over = (at: { loc: SourceLocation } | SourceLocation | undefined, what: string, value: number, max: number, fallback: SourceLocation) => {
    if (value > max) ctx.report(at ?? fallback, `${what} is ${value}; at most ${max} (docs/language.md, "Limits")`);
  };
  const { data: dataStatement, train: trainStatement } = ctx.statements;
  if (draft.data && dataStatement) {
    over(optionValue(dataStatement.options, 'batch'), 'batch', draft.data.batch, LIMITS.batch, dataStatement.loc);
    if (draft.data.kind === 'folder') {
      over(optionValue(dataStatement.options, 'size'), 'image size', draft.data.shape[0], LIMITS.imageSize, dataStatement.loc);
    }
  }
  if (draft.train && trainStatement) over(optionValue(trainStatement.options, 'ndis'), 'ndis', draft.train.ndis, LIMITS.ndis, trainStatement.loc);
  for (const reg of draft.regularizers ?? []) {
    const statement = ctx.statements.regs[reg.index];
    if (statement) over(optionValue(statement.options, 'window'), 'window', reg.window, LIMITS.window, statement.loc);
  }
  const extraReg = ctx.statements.regs[LIMITS.regs];
  if (extraReg) ctx.report(extraReg, `too many reg statements: at most ${LIMITS.regs}`);
  for (const network of [ctx.statements.generator, ctx.statements.discriminator]) {
    const extraLayer = network?.layers[LIMITS.layers];
    if (network && extraLayer) ctx.report(extraLayer, `too many layers in the ${network.network}: at most ${LIMITS.layers}`);
  }
  return ctx.diagnostics.length === before;
}

function resourceParts(draft: Draft): ResourceParts | undefined {
  const { data, generator, discriminator, regularizers, normalize, optimizers, train, augment } = draft;
  if (!data || !generator?.network || !discriminator?.network || !regularizers || !normalize || !optimizers || !train) return undefined;
  return {
    data, generator: generator.network, discriminator: discriminator.network, regularizers, normalize, optimizers, ema: train.ema,
    ...(augment ? { augment } : {}),
  };
}

function layerNode(ctx: CheckContext, network: 'G' | 'D', index: number) {
  const statement = network === 'G' ? ctx.statements.generator : ctx.statements.discriminator;
  return statement?.layers[index] ?? statement;
}

/** Reports each network's first tensor too large for a typed array; true when there is none. */
function checkTensors(ctx: CheckContext, parts: ResourceParts): boolean {
  let fits = true;
  for (const [name, network] of [['G', parts.generator], ['D', parts.discriminator]] as const) {
    const found = oversizedTensor(network, parts.data.batch);
    if (!found) continue;
    fits = false;
    ctx.report(layerNode(ctx, name, found.layer.index) ?? ctx.spec,
      `this layer is too large: ${found.what} has ${found.elements} values, more than the ${LIMITS.tensorElements} one tensor may hold`);
  }
  return fits;
}

function checkMemory(ctx: CheckContext, parts: ResourceParts): void {
  const budget = ctx.options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  const estimate = estimateMemory(parts);
  if (estimate.totalBytes <= budget) return;
  const largest = estimate.largestLayer;
  const at = (largest && layerNode(ctx, largest.network, largest.layer.index)) ?? ctx.statements.data ?? ctx.spec;
  const share = largest ? ` (this layer ${formatMemory(largest.bytes)})` : '';
  ctx.report(at, `training this spec needs about ${formatMemory(estimate.totalBytes)} at batch ${parts.data.batch}${share}, `
    + `more than the memory budget of ${formatMemory(budget)}: make layers or the batch smaller, or raise the budget with --memory-budget`);
}

// `data mnist|ring8|grid25 ...` (`data mnist labels` keeps each digit's class), `data folder "PATH" size N ...`
// (`labels from-subfolders`: each image's class is its immediate subfolder) and `data cifar10 "PATH" ...`: the data set
// and the shape of one sample. `data mnist-idx "PATH"` reads MNIST's IDX files. A relative PATH is relative to
// the spec file's folder (the loaders and `ganc check` resolve it so); this rule reads no files.
import type { DataStatement, Expression } from '../../parser/ast.js';
import { type CheckContext, defineRule } from '../context.js';
import type { DataKind, DataSpec, Shape } from '../../ir/ir.js';
import { collectOptions, type OptionRules } from '../options.js';
import { unknownNameMessage } from '../../parser/suggest.js';
import { FRACTION, readReal, readWhole } from '../values.js';
import { DATA_KINDS, isOneOf } from '../vocabulary.js';

const OPTION_RULES: Record<DataKind, OptionRules> = {
  mnist: { batch: 1, fraction: 1, labels: 0 },
  'mnist-idx': { batch: 1, fraction: 1 },
  ring8: { batch: 1 },
  grid25: { batch: 1 },
  folder: { size: 1, channels: 1, flip: 0, batch: 1, fraction: 1, labels: 1 },
  cifar10: { batch: 1, fraction: 1, labels: 0 },
};

const FIXED_SHAPES: Record<Exclude<DataKind, 'folder'>, Shape> = {
  mnist: [28, 28, 1], 'mnist-idx': [28, 28, 1], ring8: [2], grid25: [2], cifar10: [32, 32, 3],
};

export const dataRule = defineRule({
  name: 'data',
  reads: ['constants'],
  writes: ['data'],
  check(ctx, draft) {
    draft.data = checkData(ctx.statements.data, ctx);
  },
});

function checkData(statement: DataStatement | undefined, ctx: CheckContext): DataSpec | undefined {
  if (!statement) return undefined;
  const kind = statement.source.name;
  if (!isOneOf(DATA_KINDS, kind)) {
    ctx.report(statement.source, unknownNameMessage('data set', kind, DATA_KINDS));
    return undefined;
  }
  const options = collectOptions(folderLabelsWithoutValue(statement, kind, ctx), OPTION_RULES[kind], `'data ${kind}'`, ctx);
  const batch = options.batch ? readWhole(options.batch[0], ctx, 'batch') : 64;
  const fraction = options.fraction ? readReal(options.fraction[0], ctx, 'fraction', FRACTION) : 1;
  if (kind === 'mnist-idx') {
    if (!statement.path) ctx.report(statement.source, `'data mnist-idx' needs the folder of the MNIST IDX files in quotes: data mnist-idx "PATH"`);
    if (!statement.path || batch === undefined || fraction === undefined) return undefined;
    return { kind, batch, fraction, shape: FIXED_SHAPES[kind], path: statement.path.value };
  }
  if (kind === 'cifar10') {
    if (!statement.path) {
      ctx.report(statement.source, `'data cifar10' needs the folder of CIFAR-10's binary batches in quotes: data cifar10 "PATH"`);
    }
    if (!statement.path || batch === undefined || fraction === undefined) return undefined;
    return {
      kind, batch, fraction, shape: FIXED_SHAPES[kind], path: statement.path.value, labels: options.labels !== undefined,
    };
  }
  if (kind !== 'folder') {
    if (statement.path) {
      ctx.report(statement.path, `'data ${kind}' takes no path: only 'data folder "PATH"', 'data mnist-idx "PATH"' and 'data cifar10 "PATH"' do`);
    }
    if (batch === undefined || fraction === undefined) return undefined;
    // Only a labelled spec's IR says so: every other one stays as it was.
    const labels = kind === 'mnist' && options.labels !== undefined ? { labels: true } : {};
    return { kind, batch, fraction, shape: FIXED_SHAPES[kind], ...labels };
  }
  if (!statement.path) ctx.report(statement.source, `'data folder' needs the folder's path in quotes: data folder "PATH" size N`);
  else if (statement.path.value === '') ctx.report(statement.path, `'data folder' needs a folder, and "" names none: write "." for the spec's own folder`);
  if (!options.size) ctx.report(statement.source, `'data folder' needs 'size N': the side length images are resized to`);
  const size = options.size ? readWhole(options.size[0], ctx, 'size') : undefined;
  const channels = options.channels ? readChannels(options.channels[0], ctx) : 3;
  if (!statement.path || batch === undefined || fraction === undefined || size === undefined || channels === undefined) {
    return undefined;
  }
  const labels = options.labels ? readFolderLabels(options.labels[0], ctx) : false;
  if (labels === undefined) return undefined;
  return {
    kind, batch, fraction, shape: [size, size, channels], path: statement.path.value, flip: options.flip !== undefined,
    ...(labels ? { labels } : {}),
  };
}

const FOLDER_LABELS_HINT = "'data folder' takes 'labels from-subfolders': each image's class is the name of the subfolder it is in";

/** The statement's options, with a folder's `labels` that has no value reported here (and dropped), not as a count. */
function folderLabelsWithoutValue(statement: DataStatement, kind: DataKind, ctx: CheckContext): DataStatement['options'] {
  if (kind !== 'folder') return statement.options;
  return statement.options.filter((o) => {
    if (o.kind !== 'Option' || o.name !== 'labels' || o.values.length > 0) return true;
    ctx.report(o, FOLDER_LABELS_HINT);
    return false;
  });
}

/** `from-subfolders` parses as the difference of two names. */
function readFolderLabels(value: Expression, ctx: CheckContext): boolean | undefined {
  if (value.kind === 'Binary' && value.op === '-' && value.left.kind === 'Name' && value.left.name === 'from'
    && value.right.kind === 'Name' && value.right.name === 'subfolders') return true;
  ctx.report(value, FOLDER_LABELS_HINT);
  return undefined;
}

function readChannels(e: Parameters<typeof readWhole>[0], ctx: CheckContext): number | undefined {
  const channels = readWhole(e, ctx, 'channels');
  if (channels === undefined || channels === 1 || channels === 3) return channels;
  ctx.report(e, `channels must be 1 (grey) or 3 (RGB), got ${channels}`);
  return undefined;
}

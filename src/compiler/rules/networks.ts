// `generator` / `discriminator` blocks: each layer's name, arguments and options, then its shapes and
// parameters. Shapes flow from the network's input (G's: the latent vector; D's: one data sample); after
// the first shape error they stop flowing (later layers are still checked for names and arguments), so
// one mistake gives one message.
import { normalizationDefinition } from '../../terms/normalizations/index.js';
import type { Expression, Layer as LayerNode, NetworkStatement, OptionNode } from '../../parser/ast.js';
import { type CheckContext, type CheckedNetwork, defineRule } from '../context.js';
import type { LayerKind, Network, NetworkName, Padding, Shape } from '../../ir/ir.js';
import { collectOptions, type OptionRules, type Options, valuesBeforeOptionWord } from '../options.js';
import { readInitScheme } from '../init-scheme.js';
import { hasKernels, type InitScheme, layerParams } from '../params.js';
import { type LayerConfig, outputShape, placeLayer } from '../shapes.js';
import { closestName, unknownNameMessage } from '../../parser/suggest.js';
import { StatementKeywords } from '../../parser/tokens.js';
import { ANY_FINITE, POSITIVE, readReal, readWhole, type Range } from '../values.js';
import { isOneOf, LAYER_KINDS, PADDINGS, RESAMPLES } from '../vocabulary.js';

interface LayerSyntax {
  minArgs: number;
  maxArgs: number;
  /** What the arguments are, for messages. */
  argsAre?: string;
  options: OptionRules;
}

const CONV_OPTIONS: OptionRules = { kernel: 1, stride: 1, padding: 1, bias: 1 };
const NO_ARGS: LayerSyntax = { minArgs: 0, maxArgs: 0, options: {} };

const LAYER_SYNTAX: Record<LayerKind, LayerSyntax> = {
  dense: { minArgs: 1, maxArgs: 1, argsAre: 'units', options: { bias: 1 } },
  conv: { minArgs: 1, maxArgs: 1, argsAre: 'filters', options: CONV_OPTIONS },
  deconv: { minArgs: 1, maxArgs: 1, argsAre: 'filters', options: CONV_OPTIONS },
  reshape: { minArgs: 1, maxArgs: 3, argsAre: 'sizes', options: {} },
  flatten: NO_ARGS,
  batchnorm: { minArgs: 0, maxArgs: 0, options: { eps: 1, momentum: 1 } },
  relu: NO_ARGS,
  tanh: NO_ARGS,
  sigmoid: NO_ARGS,
  lrelu: { minArgs: 0, maxArgs: 1, argsAre: 'negative slope', options: {} },
  upsample: { minArgs: 0, maxArgs: 1, argsAre: 'factor', options: {} },
  avgpool: { minArgs: 0, maxArgs: 1, argsAre: 'window size', options: {} },
  sumpool: NO_ARGS,
  resblock: { minArgs: 2, maxArgs: 2, argsAre: 'up, down or same, then filters', options: {} },
  cbatchnorm: { minArgs: 0, maxArgs: 0, options: { eps: 1, momentum: 1 } },
  projection: NO_ARGS,
};
/** Layers with kernels also take `init SCHEME` (read apart from the other options: its value count varies). */
const INIT_OPTION = 'init';

const STATEMENT_WORDS = Object.keys(StatementKeywords);

const UNIT_CLOSED: Range = { accepts: (x) => x >= 0 && x <= 1, text: 'in [0, 1]' };

export const networksRule = defineRule({
  name: 'networks',
  reads: ['constants', 'latent', 'data', 'normalize', 'init'],
  writes: ['generator', 'discriminator'],
  check(ctx, draft) {
    const { generator, discriminator } = ctx.statements;
    const conditioning: Conditioning = {
      latentClasses: draft.latent?.classes, labelledData: draft.data?.labels === true,
    };
    draft.generator = checkNetwork(generator, 'G', draft.latent && [draft.latent.dim], false, draft.init?.G, conditioning, ctx);
    // A spectral normalization adds a power-iteration vector to each of D's weights.
    const spectral = draft.normalize !== undefined && normalizationDefinition(draft.normalize).spectral;
    draft.discriminator = checkNetwork(discriminator, 'D', draft.data?.shape, spectral, draft.init?.D, conditioning, ctx);
  },
});

/** What the class-conditional layers need: G's labels (`latent ... classes K`), real labels (`data ... labels`). */
interface Conditioning {
  latentClasses: number | undefined;
  labelledData: boolean;
}

/** The class count a conditional layer gets, or a message saying what it lacks. */
function conditionalClasses(kind: 'cbatchnorm' | 'projection', network: NetworkName, c: Conditioning): number | string {
  if (kind === 'cbatchnorm' && network === 'D') return "'cbatchnorm' goes in the generator (the discriminator's conditional layer is 'projection')";
  if (kind === 'projection' && network === 'G') return "'projection' goes in the discriminator (the generator's conditional layer is 'cbatchnorm')";
  if (kind === 'projection' && !c.labelledData) {
    return "'projection' needs labelled real data: add 'labels' to the data statement (data mnist labels, data cifar10 \"PATH\" labels, data folder \"PATH\" size N labels from-subfolders)";
  }
  if (c.latentClasses === undefined) {
    return `'${kind}' needs class labels for the fakes: add 'classes N' to the latent statement (latent normal 128 classes 10)`;
  }
  return c.latentClasses;
}

function checkNetwork(
  statement: NetworkStatement | undefined, name: NetworkName, input: Shape | undefined, spectralNorm: boolean,
  networkInit: InitScheme | undefined, conditioning: Conditioning, ctx: CheckContext,
): CheckedNetwork | undefined {
  if (!statement) return undefined;
  if (statement.layers.length === 0) {
    ctx.report(statement, `the ${statement.network} has no layers: put one layer per line below '${statement.network}'`);
    return { statement };
  }
  const layers: Network['layers'] = [];
  let shape = input;
  let failed = input === undefined;
  statement.layers.forEach((node, index) => {
    const checked = layerConfig(node, ctx);
    if (!checked) {
      failed = true;
      return;
    }
    if (failed || !shape) return;
    const { config, init } = checked;
    if (config.kind === 'cbatchnorm' || config.kind === 'projection') {
      const classes = conditionalClasses(config.kind, name, conditioning);
      if (typeof classes === 'string') {
        ctx.report(node.name, classes);
        failed = true;
        return;
      }
      config.classes = classes;
      // φ is what enters D's last layer: the projection must stand right before the final `dense 1`.
      const last = statement.layers.at(-1)!;
      if (config.kind === 'projection' && (index !== statement.layers.length - 2 || last.name.name !== 'dense')) {
        ctx.report(node.name, "'projection' must come right before the discriminator's last layer, 'dense 1'");
        failed = true;
        return;
      }
    }
    const result = outputShape(config, shape);
    if ('error' in result) {
      ctx.report(node.name, result.error);
      failed = true;
      return;
    }
    const placed = placeLayer(config, name, index, shape);
    const params = layerParams(name, index, placed, shape, spectralNorm, init ?? networkInit);
    layers.push({ index, ...placed, inShape: shape, outShape: result.shape, params } as Network['layers'][number]);
    shape = result.shape;
  });
  if (failed || !input || !shape) return { statement };
  return { statement, network: { name, inShape: input, outShape: shape, layers } };
}

/**
 * The layer as a checked configuration with its own `init` scheme if it has one, or undefined after
 * reporting what is wrong with it.
 */
function layerConfig(node: LayerNode, ctx: CheckContext): { config: LayerConfig; init?: InitScheme } | undefined {
  const kind = node.name.name;
  if (!isOneOf(LAYER_KINDS, kind)) {
    // A misspelt statement right after a block reads as a layer of that block.
    const statement = closestName(kind, STATEMENT_WORDS, 1);
    ctx.report(node.name, statement && !closestName(kind, LAYER_KINDS)
      ? `unknown layer '${kind}' (did you mean the '${statement}' statement?)`
      : unknownNameMessage('layer', kind, LAYER_KINDS));
    return undefined;
  }
  const syntax = LAYER_SYNTAX[kind];
  const errorsBefore = ctx.diagnostics.length;
  // A misspelt option (`deconv 64 kernal 4`) parses as more arguments; it is reported as the option it is.
  const args = valuesBeforeOptionWord(node.args, syntax.maxArgs, syntax.options, `'${kind}'`, ctx);
  if (args.length < syntax.minArgs || args.length > syntax.maxArgs) {
    ctx.report(args[syntax.maxArgs] ?? node.name, argumentCountMessage(kind, syntax, args.length));
    return undefined;
  }
  const initOptions = node.options.filter((o) => o.name === INIT_OPTION);
  const options = collectOptions(node.options.filter((o) => o.name !== INIT_OPTION), syntax.options, `'${kind}'`, ctx);
  const init = readInitOption(kind, initOptions, ctx);
  const config = readLayer(kind, args, options, ctx);
  return ctx.diagnostics.length === errorsBefore ? { config, ...(init ? { init } : {}) } : undefined;
}

/** A layer's `init SCHEME [VALUE]`, which only layers with kernels take. */
function readInitOption(kind: LayerKind, options: OptionNode[], ctx: CheckContext): InitScheme | undefined {
  if (options.length === 0) return undefined;
  const [option, twice] = options;
  if (twice) ctx.report(twice, `option 'init' is given twice`);
  if (!hasKernels(kind)) {
    ctx.report(option, `'${kind}' has no weights to initialize: 'init' goes on dense, conv, deconv and resblock`);
    return undefined;
  }
  const [scheme, ...args] = option.values;
  if (!scheme || scheme.kind !== 'Name') {
    ctx.report(scheme ?? option, "'init' takes a scheme: kaiming, xavier, normal STD or orthogonal");
    return undefined;
  }
  return readInitScheme(scheme.name, scheme, args, ctx);
}

function argumentCountMessage(kind: LayerKind, syntax: LayerSyntax, got: number): string {
  if (syntax.maxArgs === 0) return `'${kind}' takes no arguments, got ${got}`;
  const count = syntax.minArgs === syntax.maxArgs ? `${syntax.minArgs}`
    : syntax.minArgs === 0 ? `at most ${syntax.maxArgs}` : `${syntax.minArgs} to ${syntax.maxArgs}`;
  const plural = syntax.maxArgs === 1 ? 'argument' : 'arguments';
  return `'${kind}' takes ${count} ${plural} (${syntax.argsAre}), got ${got}`;
}

/** Reads arguments and options into the layer's fields; problems are reported, placeholders returned. */
function readLayer(kind: LayerKind, args: Expression[], o: Options, ctx: CheckContext): LayerConfig {
  const whole = (e: Expression | undefined, what: string, fallback: number): number =>
    (e ? readWhole(e, ctx, what) : undefined) ?? fallback;
  const real = (e: Expression | undefined, what: string, range: Range, fallback: number): number =>
    (e ? readReal(e, ctx, what, range) : undefined) ?? fallback;
  switch (kind) {
    case 'dense':
      return { kind, units: whole(args[0], 'units', 1), bias: o.bias ? readBias(o.bias[0], ctx) : true };
    case 'conv':
    case 'deconv':
      return {
        kind,
        filters: whole(args[0], 'filters', 1),
        kernel: whole(o.kernel?.[0], 'kernel', 3),
        stride: whole(o.stride?.[0], 'stride', 1),
        padding: o.padding ? readPadding(o.padding[0], ctx) : 'same',
        bias: o.bias ? readBias(o.bias[0], ctx) : true,
      };
    case 'upsample':
      return { kind, factor: whole(args[0], 'the upsampling factor', 2) };
    case 'avgpool':
      return { kind, size: whole(args[0], 'the pooling window', 2) };
    case 'resblock':
      return { kind, resample: readResample(args[0], ctx), filters: whole(args[1], 'filters', 1) };
    case 'reshape':
      return { kind, shape: args.map((a) => whole(a, 'a reshape size', 1)) };
    case 'batchnorm':
      return {
        kind, eps: real(o.eps?.[0], 'eps', POSITIVE, 1e-5), momentum: real(o.momentum?.[0], 'momentum', UNIT_CLOSED, 0.1),
      };
    case 'cbatchnorm':
      // The class count comes from the latent statement (checkNetwork fills it in).
      return {
        kind, eps: real(o.eps?.[0], 'eps', POSITIVE, 1e-5), momentum: real(o.momentum?.[0], 'momentum', UNIT_CLOSED, 0.1), classes: 0,
      };
    case 'projection':
      return { kind, classes: 0 };
    case 'lrelu':
      return { kind, alpha: real(args[0], 'the negative slope', ANY_FINITE, 0.2) };
    case 'flatten':
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'sumpool':
      return { kind };
  }
}

/** `bias false` (no bias) or `bias true` (the default). */
function readBias(e: Expression, ctx: CheckContext): boolean {
  if (e.kind === 'Name' && (e.name === 'true' || e.name === 'false')) return e.name === 'true';
  ctx.report(e, "bias must be 'true' or 'false'");
  return true;
}

function readResample(e: Expression, ctx: CheckContext): 'up' | 'down' | 'same' {
  if (e.kind === 'Name' && isOneOf(RESAMPLES, e.name)) return e.name;
  ctx.report(e, e.kind === 'Name'
    ? unknownNameMessage('resblock mode', e.name, RESAMPLES)
    : 'resblock takes up, down or same before its filters, e.g. resblock up 256');
  return 'same';
}

function readPadding(e: Expression, ctx: CheckContext): Padding {
  if (e.kind === 'Name' && isOneOf(PADDINGS, e.name)) return e.name;
  ctx.report(e, e.kind === 'Name' ? unknownNameMessage('padding', e.name, PADDINGS) : "padding must be 'same' or 'valid'");
  return 'same';
}

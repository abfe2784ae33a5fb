// Command-line overrides of a spec (`ganc train SPEC --set "optimizer D lr 1e-4" --set "let lambda 10"`).
// An override is written into the spec's text, one statement line at a time, and the result goes through
// the normal parser and checker: whatever the checker says about an overridden line is reported against the
// override (`--set 2 "optimizer D lrr 1e-4": unknown option ...`), never against a spec line the user did not
// write. Lines an override does not touch keep their text and line number, so the spec's own errors still
// point into the spec file.
//
// Forms (KEY VALUE; options are merged into the statement, replacing those of the same name):
//   gan NAME                       latent [DIST] [DIM]            loss NAME          clip C
//   data OPTIONS                   data SOURCE ["PATH"] [OPTIONS]  (a new source keeps only batch/fraction)
//   normalize [D] METHOD           let NAME [=] EXPR              train OPTIONS
//   optimizer D|G [ALGORITHM] [OPTIONS]  (a new algorithm starts from the options given)
//   reg N|NAME OPTIONS             reg N|NAME EXPR [OPTIONS]      (N counts reg statements from 1)
//   generator|discriminator I OPTIONS | generator|discriminator I LAYER ARGS [OPTIONS]  (I: line in the block, from 0)
//   any other statement, whole (`init D xavier`): it replaces the one of its kind (for the same network)
// A statement the spec lacks is added at its end (all but let, reg and the network blocks).
import { resolve, isAbsolute } from 'node:path';
import type { GanIR } from '../ir/ir.js';
import { UserError } from '../errors.js';
import { parse, print, type Diagnostic } from '../parser/index.js';
import type { Layer, NetworkStatement, SpecFile, Statement } from '../parser/ast.js';
import { OPTION_NAMES, StatementKeywords } from '../parser/tokens.js';
import { closestName, oneOf } from '../parser/suggest.js';
import { compileSource, type CheckOptions } from './index.js';
import { OPTIMIZERS } from './vocabulary.js';

export interface Override {
  /** How the user gave it, for messages: `--set 2`, `--steps`. */
  label: string;
  /** `KEY VALUE`, e.g. `optimizer D lr 1e-4`. */
  text: string;
}

/** An override that cannot be applied, or that makes the spec fail to check. */
export class OverrideError extends UserError {}

const STATEMENT_FORMS = [
  'gan NAME', 'data OPTIONS', 'data SOURCE ["PATH"] [OPTIONS]', 'latent [DIST] [DIM]', 'normalize [D] METHOD', 'loss NAME',
  'let NAME [=] EXPR', 'reg N|NAME [EXPR] [OPTIONS]', 'clip C', 'optimizer D|G [ALGORITHM] [OPTIONS]', 'train OPTIONS',
  'generator|discriminator I [LAYER ARGS] [OPTIONS]',
];
/** Every statement word; those without a form above are replaced whole (`init D xavier`). */
const KEYWORDS: readonly string[] = Object.keys(StatementKeywords);
const OPTION_WORDS: readonly string[] = OPTION_NAMES;
/** What a data statement keeps when its source changes: the folder-only options would not fit the new one. */
const DATA_OPTIONS_KEPT_ON_NEW_SOURCE = new Set(['batch', 'fraction']);

export interface OverriddenText {
  /** The spec with the overrides written in; lines no override touched are as they were. */
  text: string;
  /** 1-based line number → labels of the overrides that wrote that line. */
  lines: Map<number, string[]>;
}

type Options = { name: string }[];
interface Edit {
  node: Statement | Layer;
  /** The statement a layer belongs to; printing a layer needs its block. */
  network?: NetworkStatement;
  labels: string[];
  /** Line in the original text; undefined for a statement the overrides add. */
  line?: number;
}

/** Writes the overrides into `text` (which must parse). Throws OverrideError for an override that has no meaning. */
export function applyOverrides(text: string, file: string, overrides: readonly Override[]): OverriddenText {
  const parsed = parse(text, file);
  if (parsed.diagnostics.length > 0) throw new Error('applyOverrides needs a spec that parses');
  const ast = structuredClone(parsed.ast);
  // Keyed by the node as it is now: a second override of the same statement carries the first one's edit on.
  const edits = new Map<Statement | Layer, Edit>();
  const touch: Touch = (old, next, label, network) => {
    const edit = (old && edits.get(old)) || { node: next, network, labels: [], line: old?.loc.line };
    if (old) edits.delete(old);
    edit.node = next;
    if (!edit.labels.includes(label)) edit.labels.push(label);
    edits.set(next, edit);
  };
  for (const override of overrides) applyOne(ast, override, touch);

  const lines = text.split('\n');
  const hadFinalNewline = text.endsWith('\n');
  if (hadFinalNewline) lines.pop();
  const written = new Map<number, string[]>();
  const added: Edit[] = [];
  for (const edit of edits.values()) {
    if (edit.line === undefined) {
      added.push(edit);
      continue;
    }
    const indent = /^[ \t]*/.exec(lines[edit.line - 1])![0];
    lines[edit.line - 1] = indent + printNode(edit);
    written.set(edit.line, edit.labels);
  }
  for (const edit of added) {
    lines.push(printNode(edit));
    written.set(lines.length, edit.labels);
  }
  return { text: `${lines.join('\n')}\n`, lines: written };
}

/** One line of canonical text for a statement or layer, with its end-of-line comment. */
function printNode(edit: Edit): string {
  if (edit.network) {
    const block = { ...edit.network, comments: [], trailingComment: undefined, layers: [{ ...(edit.node as Layer), comments: [] }] };
    return print(fileOf([block])).split('\n')[1].trimStart();
  }
  return print(fileOf([{ ...(edit.node as Statement), comments: [] }])).split('\n')[0];
}

function fileOf(statements: Statement[]): SpecFile {
  return { kind: 'File', statements, trailingComments: [], loc: { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 } };
}

/** Records that an override replaced `old` (undefined: added a statement) by `next`. */
type Touch = (old: Statement | Layer | undefined, next: Statement | Layer, label: string, network?: NetworkStatement) => void;

function applyOne(ast: SpecFile, override: Override, touch: Touch): void {
  const { label, text } = override;
  const fail = (message: string): never => {
    throw new OverrideError(`${label} "${text}": ${message}`);
  };
  if (/[\r\n]/.test(text)) fail('an override is one statement on one line');
  const [keyword, rest] = splitWord(text);
  if (keyword === '') fail(`expected KEY VALUE, e.g. "train steps 200"; one of: ${STATEMENT_FORMS.join(' | ')}`);
  /** The one statement `source` parses to, or the override's failure. */
  const statementOf = <K extends Statement['kind']>(source: string, kind: K): Extract<Statement, { kind: K }> => {
    const { ast: parsed, diagnostics } = parse(`${source}\n`, label);
    if (diagnostics.length > 0) fail(diagnostics[0].message);
    const found = parsed.statements.find((s) => s.kind === kind);
    if (!found || parsed.statements.length !== 1) fail(`expected one '${keyword}' statement`);
    return found as Extract<Statement, { kind: K }>;
  };
  const optionsOf = (source: string): Options => (source.trim() === '' ? [] : statementOf(`train ${source}`, 'Train').options);
  const find = <K extends Statement['kind']>(kind: K, where: (s: Extract<Statement, { kind: K }>) => boolean = () => true) =>
    ast.statements.find((s): s is Extract<Statement, { kind: K }> => s.kind === kind && where(s as Extract<Statement, { kind: K }>));
  /** Replaces `old` (or adds `next` at the end when the spec has no such statement). */
  const put = (old: Statement | undefined, next: Statement): void => {
    next.comments = old?.comments ?? [];
    next.trailingComment = old?.trailingComment;
    if (old) ast.statements[ast.statements.indexOf(old)] = next;
    else ast.statements.push(next);
    touch(old, next, label);
  };
  const startsWithOption = (s: string): boolean => OPTION_WORDS.includes(splitWord(s)[0]);
  if (rest.trim() === '' && keyword !== 'train' && keyword !== 'data') fail(`expected a value after '${keyword}'`);

  switch (keyword) {
    case 'gan': return put(find('Gan'), statementOf(`gan ${rest}`, 'Gan'));
    case 'loss': return put(find('Loss'), statementOf(`loss ${rest}`, 'Loss'));
    case 'clip': return put(find('Clip'), statementOf(`clip ${rest}`, 'Clip'));
    case 'train': {
      const old = find('Train');
      const options = optionsOf(rest);
      if (options.length === 0) fail('expected options, e.g. "train steps 200"');
      const next = old ? { ...old, options: merge(old.options, options) } : statementOf(`train ${rest}`, 'Train');
      return put(old, next as Statement);
    }
    case 'data': {
      const old = find('Data');
      if (startsWithOption(rest)) {
        if (!old) fail('the spec has no data statement to set options on; give its source, e.g. "data mnist batch 32"');
        return put(old, { ...old!, options: merge(old!.options, optionsOf(rest)) } as Statement);
      }
      if (rest.trim() === '') fail('expected options or a source, e.g. "data batch 32"');
      const next = statementOf(`data ${rest}`, 'Data');
      if (old) {
        const kept = old.source.name === next.source.name ? old.options : old.options.filter((o) => DATA_OPTIONS_KEPT_ON_NEW_SOURCE.has(o.name));
        next.options = merge(kept, next.options) as typeof next.options;
        if (!next.path && old.source.name === next.source.name && old.path) next.path = old.path;
      }
      return put(old, next);
    }
    case 'latent': {
      const old = find('Latent');
      const [first, after] = splitWord(rest);
      const isDist = /^[A-Za-z_]\w*$/.test(first);
      const dist = isDist ? first : old?.dist.name;
      const dim = isDist ? after : rest;
      if (!dist) fail('the spec has no latent statement; give its distribution too, e.g. "latent normal 64"');
      if (dim.trim() === '' && !old) fail('expected a dimension, e.g. "latent normal 64"');
      const next = statementOf(`latent ${dist} ${dim.trim() === '' ? '0' : dim}`, 'Latent');
      if (dim.trim() === '') next.dim = old!.dim;
      // `latent 64` keeps the spec's `classes`.
      if (old) next.options = merge(old.options, next.options) as typeof next.options;
      return put(old, next);
    }
    case 'normalize': {
      const [first, after] = splitWord(rest);
      const source = after.trim() === '' ? `normalize D ${first}` : `normalize ${rest}`;
      const next = statementOf(source, 'Normalize');
      return put(find('Normalize', (s) => s.network.name === next.network.name), next);
    }
    case 'let': {
      const match = /^\s*([A-Za-z_]\w*)\s*(?:=\s*)?(.*)$/s.exec(rest);
      if (!match || match[2].trim() === '') fail('expected "let NAME VALUE", e.g. "let lambda 10"');
      const [, name, value] = match!;
      const lets = ast.statements.filter((s) => s.kind === 'Let').map((s) => s.name.name);
      const old = find('Let', (s) => s.name.name === name);
      if (!old) {
        const near = closestName(name, lets);
        fail(`the spec has no 'let ${name}'${near ? ` (did you mean '${near}'?)` : lets.length ? `; its lets: ${oneOf(lets)}` : ''}`);
      }
      return put(old, statementOf(`let ${name} = ${value}`, 'Let'));
    }
    case 'reg': {
      const [which, after] = splitWord(rest);
      const regs = ast.statements.filter((s): s is Extract<Statement, { kind: 'Reg' }> => s.kind === 'Reg');
      const byNumber = /^\d+$/.test(which) ? regs[Number(which) - 1] : undefined;
      const old = byNumber ?? regs.find((r) => (r as { name?: { name: string } }).name?.name === which);
      if (!old) fail(`the spec has no reg statement ${/^\d+$/.test(which) ? `number ${which} (it has ${regs.length})` : `named '${which}'`}; name it by number (1 is the first) or by its name`);
      if (after.trim() === '') fail('expected a formula or options after the reg statement\'s number');
      if (startsWithOption(after)) return put(old, { ...old!, options: merge(old!.options, optionsOf(after)) } as Statement);
      const next = statementOf(`reg ${after}`, 'Reg');
      const named = old as { name?: unknown };
      return put(old, { ...next, ...(named.name ? { name: named.name } : {}), options: merge(old!.options, next.options) } as Statement);
    }
    case 'optimizer': {
      const [network, after] = splitWord(rest);
      const old = find('Optimizer', (s) => s.network.name === network);
      const [algorithm, options] = startsWithOption(after) || after.trim() === '' ? [old?.algorithm.name ?? 'adam', after] : splitWord(after);
      if (!(OPTIMIZERS as readonly string[]).includes(algorithm) && !startsWithOption(after)) {
        const near = closestName(algorithm, [...OPTIMIZERS, ...OPTION_WORDS]);
        fail(`'${algorithm}' is neither an optimizer (${oneOf(OPTIMIZERS)}) nor an option${near ? ` (did you mean '${near}'?)` : ''}`);
      }
      const next = statementOf(`optimizer ${network} ${algorithm} ${options}`, 'Optimizer');
      // Algorithms take different options: a new one starts from those given, the same one keeps the rest.
      if (old && old.algorithm.name === algorithm) next.options = merge(old.options, next.options) as typeof next.options;
      return put(old, next);
    }
    case 'generator':
    case 'discriminator': {
      const [index, after] = splitWord(rest);
      const network = find('Network', (s) => s.network === keyword);
      if (!network) fail(`the spec has no ${keyword} block`);
      const layers = network!.layers;
      if (!/^\d+$/.test(index) || Number(index) >= layers.length) {
        fail(`expected a layer number from 0 to ${layers.length - 1} (the ${keyword}'s lines counted from 0), got '${index}'`);
      }
      const i = Number(index);
      if (after.trim() === '') fail('expected options or a layer after the layer number');
      const old = layers[i];
      let next: Layer;
      if (startsWithOption(after)) {
        next = { ...old, options: merge(old.options, optionsOf(after)) as Layer['options'] };
      } else {
        const block = statementOf(`${keyword}\n  ${after}`, 'Network');
        if (block.layers.length !== 1) fail('expected one layer');
        next = { ...block.layers[0], comments: old.comments, trailingComment: old.trailingComment, loc: old.loc };
      }
      layers[i] = next;
      return touch(old, next, label, network);
    }
    default: {
      if (KEYWORDS.includes(keyword)) {
        // A statement with no form of its own: the whole statement, replacing the one of its kind (and network).
        const { ast: parsed, diagnostics } = parse(`${text}\n`, label);
        if (diagnostics.length > 0) fail(diagnostics[0].message);
        const next = parsed.statements[0];
        if (!next || parsed.statements.length !== 1) fail(`expected one '${keyword}' statement`);
        const networkOf = (st: Statement): string | undefined => {
          const network = (st as { network?: unknown }).network;
          return typeof network === 'object' && network !== null ? (network as { name?: string }).name : undefined;
        };
        return put(ast.statements.find((st) => st.kind === next.kind && networkOf(st) === networkOf(next)), next);
      }
      const near = closestName(keyword, KEYWORDS);
      return fail(`unknown statement '${keyword}'${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${STATEMENT_FORMS.join(' | ')}`);
    }
  }
}

/** Options of `old` with those of `next` replacing the ones of the same name, new ones after. */
function merge<T extends { name: string }>(old: readonly T[], next: readonly { name: string }[]): T[] {
  const out = [...old];
  for (const option of next as T[]) {
    const i = out.findIndex((o) => o.name === option.name);
    if (i >= 0) out[i] = option;
    else out.push(option);
  }
  return out;
}

/** The first whitespace-separated word and the rest. */
function splitWord(text: string): [string, string] {
  const match = /^\s*(\S*)\s*(.*)$/s.exec(text)!;
  return [match[1], match[2]];
}

export type OverrideCheck =
  | { ir: GanIR; text: string; diagnostics?: undefined }
  /** The spec's own problems (not the overrides'): the caller reports them against `text` as usual. */
  | { ir?: undefined; text: string; diagnostics: Diagnostic[] };

/**
 * Parses and checks `text` with the overrides written in. Problems on lines the overrides wrote, or that
 * only the overrides cause, throw an OverrideError naming the override; the spec's own problems are returned.
 */
export function checkWithOverrides(text: string, file: string, overrides: readonly Override[], options: CheckOptions = {}): OverrideCheck {
  const asWritten = (): OverrideCheck => {
    const own = compileSource(text, file, options);
    return own.ir && own.diagnostics.length === 0 ? { ir: own.ir, text } : { text, diagnostics: own.diagnostics };
  };
  // Overrides go into a spec that parses; syntax errors are the spec's to report.
  if (overrides.length === 0 || parse(text, file).diagnostics.length > 0) return asWritten();
  const applied = applyOverrides(text, file, overrides);
  const checked = compileSource(applied.text, file, options);
  if (checked.ir && checked.diagnostics.length === 0) return { ir: checked.ir, text: applied.text };

  const describe = (labels: string[]): string =>
    labels.map((l) => {
      const o = overrides.find((x) => x.label === l)!;
      return `${l} "${o.text}"`;
    }).join(', ');
  const onOverride = checked.diagnostics.find((d) => applied.lines.has(d.line));
  if (onOverride) throw new OverrideError(`${describe(culprits(onOverride, applied, overrides))}: ${onOverride.message}`);
  // A problem on a line no override wrote is the spec's own if the spec has it without the overrides.
  const own = asWritten().diagnostics ?? [];
  const caused = checked.diagnostics.find((d) => !own.some((o) => o.line === d.line && o.col === d.col && o.message === d.message));
  if (caused) {
    const all = overrides.map((o) => o.label);
    throw new OverrideError(`${describe([...new Set(all)])}: with ${all.length > 1 ? 'these overrides' : 'this override'}, ${file}:${caused.line}:${caused.col}: ${caused.message}`);
  }
  return { text: applied.text, diagnostics: checked.diagnostics };
}

/**
 * The overrides that wrote a diagnostic's line; where several did, those whose text holds the word the
 * diagnostic points at (`train steps 3` and `train step 40` both write the train line; 'step' is the latter's).
 */
function culprits(d: Diagnostic, applied: OverriddenText, overrides: readonly Override[]): string[] {
  const labels = applied.lines.get(d.line)!;
  const word = /^[\w.+-]+/.exec(applied.text.split('\n')[d.line - 1].slice(d.col - 1))?.[0];
  if (!word || labels.length === 1) return labels;
  const holding = labels.filter((l) => new RegExp(`(^|[^\\w.])${word.replace(/[.+]/g, '\\$&')}($|[^\\w.])`).test(overrides.find((o) => o.label === l)!.text));
  return holding.length > 0 ? holding : labels;
}

/**
 * The spec as a run directory keeps it: canonical formatting (`ganc fmt`), and a data folder's path made
 * absolute against `specDir`, so the copy names the data that was trained on wherever it is read.
 */
export function effectiveSpecText(text: string, file: string, specDir: string): string {
  const { ast, diagnostics } = parse(text, file);
  if (diagnostics.length > 0) throw new Error('effectiveSpecText needs a spec that parses');
  for (const s of ast.statements) {
    if (s.kind !== 'Data' || !s.path || isAbsolute(s.path.value)) continue;
    const absolute = resolve(specDir, s.path.value);
    // A path the language cannot quote stays as written.
    if (!/["\n]/.test(absolute)) s.path.value = absolute;
  }
  return print(ast);
}

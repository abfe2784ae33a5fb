// AST → canonical text. `print(parse(x))` is the formatter: fmt(fmt(x)) == fmt(x), and parsing the
// output gives back the same AST (locations aside).
//
// Layout: one statement per line in source order; layers indented by two spaces; one blank line
// before and after each network block and nowhere else. Expressions get a space around each binary
// operator and only the parentheses their structure needs. Numbers are kept as written (`2e-4`).
// Comments: full-line comments stay above the statement or layer they preceded, end-of-line comments
// stay at the end of their line (after two spaces), comments after the last statement stay at the end.
import type { Expression, Layer, SpecFile, Statement, StatementOption } from './ast.js';

export function print(file: SpecFile): string {
  const lines: string[] = [];
  file.statements.forEach((statement, i) => {
    const previous = file.statements[i - 1];
    if (previous && (statement.kind === 'Network' || previous.kind === 'Network')) lines.push('');
    lines.push(...statement.comments, withTrailing(printStatement(statement), statement.trailingComment));
    if (statement.kind === 'Network') {
      for (const layer of statement.layers) {
        lines.push(...layer.comments.map((c) => `  ${c}`), withTrailing(`  ${printLayer(layer)}`, layer.trailingComment));
      }
    }
  });
  if (file.trailingComments.length > 0) {
    if (file.statements.at(-1)?.kind === 'Network') lines.push('');
    lines.push(...file.trailingComments);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const withTrailing = (line: string, comment: string | undefined): string => (comment ? `${line}  ${comment}` : line);

function printStatement(s: Statement): string {
  switch (s.kind) {
    case 'Gan': return `gan ${s.name.name}`;
    case 'Data': return words('data', s.source.name, s.path ? `"${s.path.value}"` : '', printOptions(s.options));
    case 'Latent': return words('latent', s.dist.name, printValues([s.dim]), printOptions(s.options));
    case 'Network': return s.network;
    case 'Normalize': return words('normalize', s.network.name, s.method.name);
    case 'Loss': return words('loss', s.loss.name);
    case 'Let': return words('let', s.name.name, '=', printExpression(s.value));
    case 'Reg': return words('reg', s.name ? `${s.name.name} =` : '', printExpression(s.formula), printOptions(s.options));
    case 'Clip': return words('clip', printExpression(s.value));
    case 'Optimizer': return words('optimizer', s.network.name, s.algorithm.name, printOptions(s.options));
    case 'Train': return words('train', printOptions(s.options));
    case 'Init': return words('init', s.network.name, s.scheme.name, printValues(s.args));
    case 'Augment':
      return words('augment', s.ops.map((op) => words(op.name.name, printValues(op.args))).join(', '), printOptions(s.options));
  }
}

function printLayer(layer: Layer): string {
  return words(layer.name.name, printValues(layer.args), printOptions(layer.options));
}

const words = (...parts: string[]): string => parts.filter((p) => p !== '').join(' ');

/** Unknown options too: a spec that parses but does not check is formatted as written. */
function printOptions(options: StatementOption[]): string {
  return options.map((o) => words(o.name, o.name === 'labels' ? printLabelValues(o.values) : printValues(o.values))).join(' ');
}

/** `labels from-subfolders` reads as the difference of two names; it is written back as the one word it is. */
function printLabelValues(values: Expression[]): string {
  return values.map((v) => (v.kind === 'Binary' && v.op === '-' && v.left.kind === 'Name' && v.right.kind === 'Name'
    ? `${v.left.name}-${v.right.name}` : printValues([v]))).join(' ');
}

/**
 * Values written one after another must not run together when read back: `7 -7` would read as
 * `7 - 7`, and `x (y)` as the call `x(y)`. Such neighbours get parentheses.
 */
function printValues(values: Expression[]): string {
  const texts = values.map((v) => printExpression(v));
  for (let i = 1; i < texts.length; i++) {
    if (texts[i].startsWith('-')) texts[i] = `(${texts[i]})`;
    if (texts[i].startsWith('(') && ENDS_WITH_NAME.test(texts[i - 1])) texts[i - 1] = `(${texts[i - 1]})`;
  }
  return texts.join(' ');
}

/** A name at the end (`r1`, not the number `2e5`). */
const ENDS_WITH_NAME = /(?<![0-9.])[A-Za-z_][A-Za-z0-9_]*$/;

/** Binding strength: higher binds tighter. */
function precedence(e: Expression): number {
  switch (e.kind) {
    case 'Binary': return e.op === '^' ? 4 : e.op === '*' || e.op === '/' ? 2 : 1;
    case 'Neg': return 3;
    default: return 5;
  }
}

export function printExpression(e: Expression): string {
  switch (e.kind) {
    case 'Number': return e.raw;
    case 'Name': return e.name;
    case 'Call': return `${e.callee.name}(${e.args.map(printExpression).join(', ')})`;
    case 'Neg': return `-${wrap(e.arg, precedence(e.arg) < 3)}`;
    case 'Binary': {
      const p = precedence(e);
      // `^` is right-associative: its left operand needs parentheses at equal strength, its right does not.
      const leftNeeds = e.op === '^' ? precedence(e.left) <= p : precedence(e.left) < p;
      const rightNeeds = e.op === '^' ? precedence(e.right) < 3 : precedence(e.right) <= p;
      return `${wrap(e.left, leftNeeds)} ${e.op} ${wrap(e.right, rightNeeds)}`;
    }
  }
}

const wrap = (e: Expression, needed: boolean): string => (needed ? `(${printExpression(e)})` : printExpression(e));

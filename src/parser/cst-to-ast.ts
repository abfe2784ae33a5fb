// CST → AST, as a Chevrotain visitor. After error recovery a CST may lack pieces (a token the
// parser inserted, a subrule it skipped); a statement with a missing piece is left out of the AST,
// since the syntax error already explains it.
import type { CstElement, CstNode, IToken } from './chevrotain.js';
import type {
  AugmentOp, BinaryOperator, Expression, Identifier, Layer, OptionName, OptionNode, SourceLocation, SpecFile, Statement,
  StatementOption,
} from './ast.js';
import { parser } from './parser.js';

type Children = Record<string, CstElement[] | undefined>;

/** Thrown (and caught per statement) when recovery left out a piece this node needs. */
class MissingPiece extends Error {}

function token(ctx: Children, name: string, index = 0): IToken {
  const t = ctx[name]?.[index] as IToken | undefined;
  if (!t || t.isInsertedInRecovery || Number.isNaN(t.startOffset)) throw new MissingPiece(name);
  return t;
}

function tokens(ctx: Children, name: string): IToken[] {
  return (ctx[name] ?? []) as IToken[];
}

function child(ctx: Children, name: string, index = 0): CstNode {
  const n = ctx[name]?.[index] as CstNode | undefined;
  if (!n || n.recoveredNode) throw new MissingPiece(name);
  return n;
}

function children(ctx: Children, name: string): CstNode[] {
  const nodes = (ctx[name] ?? []) as CstNode[];
  if (nodes.some((n) => n.recoveredNode)) throw new MissingPiece(name);
  return nodes;
}

export function tokenLoc(t: IToken): SourceLocation {
  return {
    line: t.startLine ?? 1, col: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1, endCol: t.endColumn ?? t.startColumn ?? 1, offset: t.startOffset,
  };
}

/** From the start of `first` to the end of `last`. */
export function span(first: SourceLocation, last: SourceLocation): SourceLocation {
  return { line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol, offset: first.offset };
}

const lastLoc = (start: SourceLocation, ...rest: (SourceLocation | undefined)[]): SourceLocation =>
  rest.filter((l): l is SourceLocation => l !== undefined).reduce((a, b) => (b.offset > a.offset ? b : a), start);

const BaseVisitor = parser.getBaseCstVisitorConstructorWithDefaults();

class AstBuilder extends BaseVisitor {
  identifier(ctx: Children, index = 0): Identifier {
    const t = token(ctx, 'Identifier', index);
    return { kind: 'Identifier', name: t.image, loc: tokenLoc(t) };
  }

  statementOf(node: CstNode): Statement | undefined {
    const inner = Object.values(node.children)[0]?.[0] as CstNode | undefined;
    return inner ? this.attempt(() => this.visit(inner) as Statement) : undefined;
  }

  /** A node with a piece missing after recovery is left out (its syntax error was reported). */
  attempt<T>(build: () => T): T | undefined {
    try {
      return build();
    } catch (e) {
      if (e instanceof MissingPiece) return undefined;
      throw e;
    }
  }

  /** Lines that belong nowhere, for the caller to report; `inBlock`: inside a network block. */
  readonly strays: StrayLine[] = [];

  strayLines(ctx: Children, inBlock: boolean): void {
    for (const node of [...(ctx.misplacedLayer ?? []), ...(ctx.strayLine ?? [])] as CstNode[]) {
      const first = Object.values(node.children).flat()
        .filter((e): e is IToken => 'image' in e)
        .sort((a, b) => a.startOffset - b.startOffset)[0];
      if (first) this.strays.push({ first, inBlock });
    }
  }

  ganStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'GanKeyword'));
    const name = this.identifier(ctx);
    return { kind: 'Gan', name, loc: span(kw, name.loc), comments: [] };
  }

  dataStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'DataKeyword'));
    const source = this.visit(child(ctx, 'dataSource')) as Identifier;
    const pathToken = ctx.StringLiteral ? token(ctx, 'StringLiteral') : undefined;
    const path = pathToken
      ? { kind: 'String' as const, value: pathToken.image.slice(1, -1), loc: tokenLoc(pathToken) }
      : undefined;
    const options = this.statementOptions(ctx);
    const loc = span(kw, lastLoc(source.loc, path?.loc, options.at(-1)?.loc));
    return { kind: 'Data', source, ...(path ? { path } : {}), options, loc, comments: [] };
  }

  /** `mnist`, or `mnist-idx` as one name (the printer writes it without spaces). */
  dataSource(ctx: Children): Identifier {
    const first = this.identifier(ctx, 0);
    if (!ctx.Minus) return first;
    token(ctx, 'Minus');
    const second = this.identifier(ctx, 1);
    return { kind: 'Identifier', name: `${first.name}-${second.name}`, loc: span(first.loc, second.loc) };
  }

  latentStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'LatentKeyword'));
    const dist = this.identifier(ctx);
    const dim = this.expr(child(ctx, 'expression'));
    const options = this.statementOptions(ctx);
    return { kind: 'Latent', dist, dim, options, loc: span(kw, lastLoc(dim.loc, options.at(-1)?.loc)), comments: [] };
  }

  augmentStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'AugmentKeyword'));
    const ops = children(ctx, 'augmentOp').map((n) => this.visit(n) as AugmentOp);
    if (ops.length === 0) throw new MissingPiece('augmentOp');
    const options = this.statementOptions(ctx);
    return { kind: 'Augment', ops, options, loc: span(kw, lastLoc(ops.at(-1)!.loc, options.at(-1)?.loc)), comments: [] };
  }

  augmentOp(ctx: Children): AugmentOp {
    const t = ctx.Identifier ? token(ctx, 'Identifier') : token(ctx, 'OptionKeyword');
    const name: Identifier = { kind: 'Identifier', name: t.image, loc: tokenLoc(t) };
    const args = children(ctx, 'expression').map((n) => this.expr(n));
    return { kind: 'AugmentOp', name, args, loc: span(name.loc, lastLoc(name.loc, args.at(-1)?.loc)) };
  }

  networkStatement(ctx: Children): Statement {
    const kwToken = token(ctx, 'NetworkKeyword');
    const kw = tokenLoc(kwToken);
    const layers: Layer[] = [];
    for (const node of (ctx.layer ?? []) as CstNode[]) {
      const layer = this.attempt(() => this.visit(node) as Layer);
      if (layer) layers.push(layer);
    }
    this.strayLines(ctx, true);
    return {
      kind: 'Network', network: kwToken.image as 'generator' | 'discriminator', layers,
      loc: span(kw, lastLoc(kw, layers.at(-1)?.loc)), comments: [],
    };
  }

  layer(ctx: Children): Layer {
    const name = this.identifier(ctx);
    const args = children(ctx, 'expression').map((n) => this.expr(n));
    const options = this.options(ctx);
    return {
      kind: 'Layer', name, args, options,
      loc: span(name.loc, lastLoc(name.loc, args.at(-1)?.loc, options.at(-1)?.loc)), comments: [],
    };
  }

  normalizeStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'NormalizeKeyword'));
    const network = this.identifier(ctx, 0);
    const method = this.identifier(ctx, 1);
    return { kind: 'Normalize', network, method, loc: span(kw, method.loc), comments: [] };
  }

  lossStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'LossKeyword'));
    const loss = this.identifier(ctx);
    return { kind: 'Loss', loss, loc: span(kw, loss.loc), comments: [] };
  }

  letStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'LetKeyword'));
    const name = this.identifier(ctx);
    token(ctx, 'Equals');
    const value = this.expr(child(ctx, 'expression'));
    return { kind: 'Let', name, value, loc: span(kw, value.loc), comments: [] };
  }

  regStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'RegKeyword'));
    let name: Identifier | undefined;
    if (ctx.Equals) {
      token(ctx, 'Equals');
      name = this.identifier(ctx);
    }
    const formula = this.expr(child(ctx, 'expression'));
    const options = this.statementOptions(ctx);
    return {
      kind: 'Reg', ...(name ? { name } : {}), formula, options,
      loc: span(kw, lastLoc(formula.loc, options.at(-1)?.loc)), comments: [],
    };
  }

  clipStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'ClipKeyword'));
    const value = this.expr(child(ctx, 'expression'));
    return { kind: 'Clip', value, loc: span(kw, value.loc), comments: [] };
  }

  optimizerStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'OptimizerKeyword'));
    const network = this.identifier(ctx, 0);
    const algorithm = this.identifier(ctx, 1);
    const options = this.statementOptions(ctx);
    return {
      kind: 'Optimizer', network, algorithm, options,
      loc: span(kw, lastLoc(algorithm.loc, options.at(-1)?.loc)), comments: [],
    };
  }

  trainStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'TrainKeyword'));
    const options = this.statementOptions(ctx);
    return { kind: 'Train', options, loc: span(kw, lastLoc(kw, options.at(-1)?.loc)), comments: [] };
  }

  initStatement(ctx: Children): Statement {
    const kw = tokenLoc(token(ctx, 'InitKeyword'));
    const network = this.identifier(ctx, 0);
    const scheme = this.identifier(ctx, 1);
    const args = children(ctx, 'expression').map((n) => this.expr(n));
    return { kind: 'Init', network, scheme, args, loc: span(kw, lastLoc(scheme.loc, args.at(-1)?.loc)), comments: [] };
  }

  options(ctx: Children): OptionNode[] {
    return children(ctx, 'namedOption').map((n) => this.visit(n) as OptionNode);
  }

  statementOptions(ctx: Children): StatementOption[] {
    return children(ctx, 'statementOption').map((n) => this.visit(n) as StatementOption);
  }

  statementOption(ctx: Children): StatementOption {
    return this.visit(child(ctx, ctx.namedOption ? 'namedOption' : 'unknownOption')) as StatementOption;
  }

  unknownOption(ctx: Children): StatementOption {
    const word = this.identifier(ctx);
    const values = children(ctx, 'expression').map((n) => this.expr(n));
    return { kind: 'UnknownOption', name: word.name, values, loc: span(word.loc, lastLoc(word.loc, values.at(-1)?.loc)) };
  }

  namedOption(ctx: Children): OptionNode {
    const word = token(ctx, 'OptionKeyword');
    const values = children(ctx, 'expression').map((n) => this.expr(n));
    const loc = tokenLoc(word);
    return { kind: 'Option', name: word.image as OptionName, values, loc: span(loc, lastLoc(loc, values.at(-1)?.loc)) };
  }

  expr(node: CstNode): Expression {
    if (node.recoveredNode) throw new MissingPiece(node.name);
    return this.visit(node) as Expression;
  }

  /** Left-associative chains: `a - b + c` is `(a - b) + c`. */
  leftChain(operands: CstNode[], operators: IToken[]): Expression {
    if (operands.length !== operators.length + 1) throw new MissingPiece('operand');
    let result = this.expr(operands[0]);
    operators.forEach((op, i) => {
      const right = this.expr(operands[i + 1]);
      result = { kind: 'Binary', op: op.image as BinaryOperator, left: result, right, loc: span(result.loc, right.loc) };
    });
    return result;
  }

  expression(ctx: Children): Expression {
    return this.leftChain(children(ctx, 'multiplicative'), tokens(ctx, 'AdditiveOperator'));
  }

  multiplicative(ctx: Children): Expression {
    return this.leftChain(children(ctx, 'unary'), tokens(ctx, 'MultiplicativeOperator'));
  }

  /** `--x` is `-(-x)`: the minus signs apply from the innermost outwards. */
  unary(ctx: Children): Expression {
    let result = this.expr(child(ctx, 'power'));
    for (const minus of [...tokens(ctx, 'Minus')].reverse()) {
      if (minus.isInsertedInRecovery) throw new MissingPiece('Minus');
      result = { kind: 'Neg', arg: result, loc: span(tokenLoc(minus), result.loc) };
    }
    return result;
  }

  power(ctx: Children): Expression {
    const base = this.expr(child(ctx, 'primary'));
    if (!ctx.Caret) return base;
    token(ctx, 'Caret');
    const exponent = this.expr(child(ctx, 'unary'));
    return { kind: 'Binary', op: '^', left: base, right: exponent, loc: span(base.loc, exponent.loc) };
  }

  primary(ctx: Children): Expression {
    if (ctx.NumberLiteral) {
      const t = token(ctx, 'NumberLiteral');
      return { kind: 'Number', value: Number(t.image), raw: t.image, loc: tokenLoc(t) };
    }
    if (ctx.LParen) {
      token(ctx, 'RParen');
      return this.expr(child(ctx, 'expression'));
    }
    const name = this.identifier(ctx);
    if (!ctx.callArguments) return { kind: 'Name', name: name.name, loc: name.loc };
    const argsCtx = child(ctx, 'callArguments').children as Children;
    const close = tokenLoc(token(argsCtx, 'RParen'));
    const args = children(argsCtx, 'expression').map((n) => this.expr(n));
    return { kind: 'Call', callee: name, args, loc: span(name.loc, close) };
  }
}

/** The first token of a line that starts neither a statement nor a layer. */
export interface StrayLine {
  first: IToken;
  inBlock: boolean;
}

export function buildAst(cst: CstNode, comments: IToken[]): { ast: SpecFile; strays: StrayLine[] } {
  const builder = new AstBuilder();
  const ctx = cst.children as Children;
  builder.strayLines(ctx, false);
  const statements: Statement[] = [];
  for (const node of (ctx.statement ?? []) as CstNode[]) {
    const statement = builder.statementOf(node);
    if (statement) statements.push(statement);
  }
  // The file starts at 1:1 (where file-level diagnostics such as a missing statement point).
  const start: SourceLocation = { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 };
  const file: SpecFile = {
    kind: 'File', statements, trailingComments: [], loc: span(start, statements.at(-1)?.loc ?? start),
  };
  attachComments(file, comments);
  return { ast: file, strays: builder.strays.sort((a, b) => a.first.startOffset - b.first.startOffset) };
}

/**
 * A comment on the line where an item (statement or layer) starts belongs to that item as its
 * trailing comment; any other comment belongs to the next item below it, or to the file.
 */
function attachComments(file: SpecFile, comments: IToken[]): void {
  const items: { line: number; offset: number; target: { comments: string[]; trailingComment?: string } }[] = [];
  for (const s of file.statements) {
    items.push({ line: s.loc.line, offset: s.loc.offset, target: s });
    if (s.kind === 'Network') for (const l of s.layers) items.push({ line: l.loc.line, offset: l.loc.offset, target: l });
  }
  items.sort((a, b) => a.offset - b.offset);
  let next = 0;
  for (const comment of comments) {
    const line = comment.startLine ?? 0;
    while (next < items.length && items[next].offset < comment.startOffset) next++;
    const sameLine = next > 0 && items[next - 1].line === line ? items[next - 1] : undefined;
    if (sameLine) sameLine.target.trailingComment = comment.image.trimEnd();
    else if (next < items.length) items[next].target.comments.push(comment.image.trimEnd());
    else file.trailingComments.push(comment.image.trimEnd());
  }
}

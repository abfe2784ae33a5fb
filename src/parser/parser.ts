// Tokens → CST. A Chevrotain CstParser with error recovery, so one file reports all its syntax errors.
// The grammar is deliberately generic where the checker can say more: any option may follow any
// layer or option-taking statement, and names are plain identifiers.
import {
  CstParser, EOF, tokenMatcher, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType,
} from './chevrotain.js';
import {
  AdditiveOperator, allTokens, Caret, Comma, Equals, Identifier, LineContent, LParen, Minus, MultiplicativeOperator,
  NetworkKeyword, Newline, NumberLiteral, OptionKeyword, RParen, StatementKeywords as K, StrayStart, StringLiteral,
} from './tokens.js';
import { closestName, oneOf } from './suggest.js';

/** What a rule is, in words, for error messages ("... in a `data` statement"). */
const RULE_DESCRIPTIONS: Record<string, string> = {
  ganStatement: "the 'gan' statement",
  dataStatement: "the 'data' statement",
  latentStatement: "the 'latent' statement",
  networkStatement: 'a network block',
  layer: 'a layer',
  normalizeStatement: "the 'normalize' statement",
  lossStatement: "the 'loss' statement",
  letStatement: "a 'let' statement",
  regStatement: "a 'reg' statement",
  clipStatement: "the 'clip' statement",
  optimizerStatement: "an 'optimizer' statement",
  trainStatement: "the 'train' statement",
  initStatement: "an 'init' statement",
  augmentStatement: "the 'augment' statement",
  augmentOp: 'an augmentation',
  namedOption: 'an option',
  unknownOption: 'an option',
  dataSource: "the 'data' statement",
  callArguments: 'a function call',
};

function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'end of file';
  if (token.tokenType === Newline) return 'end of line';
  return `'${token.image}'`;
}

function labelOf(tokenType: TokenType): string {
  return tokenType.LABEL ?? tokenType.name;
}

function listOf(words: string[]): string {
  // Every expression can start with these; naming them one by one reads worse than saying what is meant.
  if (words.includes('a number')) return 'a number or an expression';
  return oneOf([...new Set(words)]);
}

function firstTokens(paths: TokenType[][][] | TokenType[][]): string[] {
  const flat = (paths as unknown[]).flat(1) as (TokenType[] | TokenType)[];
  return flat.map((path) => labelOf(Array.isArray(path) ? path[0] : path)).filter(Boolean);
}

const STATEMENT_WORDS = Object.keys(K);
const A_STATEMENT = `a statement (${oneOf(STATEMENT_WORDS)})`;

/** What is wrong with a line that starts with `first`; `inBlock`: the line is inside a network block. */
export function strayLineMessage(first: IToken, inBlock: boolean): string {
  if (!tokenMatcher(first, Identifier)) {
    return `${describeToken(first)} cannot start a line: expected ${inBlock ? `a layer or ${A_STATEMENT}` : A_STATEMENT}`;
  }
  const statement = closestName(first.image, STATEMENT_WORDS, 1);
  if (statement) return `unknown statement '${first.image}' (did you mean '${statement}'?)`;
  return `'${first.image}' cannot start a line here: layers go in a generator or discriminator block, `
    + `and a statement starts with ${oneOf(STATEMENT_WORDS)}`;
}

const where = (ruleName: string): string => (RULE_DESCRIPTIONS[ruleName] ? ` in ${RULE_DESCRIPTIONS[ruleName]}` : '');

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return `expected ${labelOf(expected)}${where(ruleName)}, found ${describeToken(actual)}`;
  },
  // Every line is some alternative of the file rule (stray ones included), so all input is always parsed.
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return strayLineMessage(firstRedundant, false);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const expected = ruleName === 'statement' ? A_STATEMENT : listOf(firstTokens(expectedPathsPerAlt));
    return `expected ${expected}${where(ruleName)}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    return `expected ${listOf(firstTokens(expectedIterationPaths))}${where(ruleName)}, found ${describeToken(actual[0])}`;
  },
};

export class GancParser extends CstParser {
  /** Grammar validation costs start-up time on every run; the tests run it (`validate: true`). */
  constructor(options: { validate?: boolean } = {}) {
    super(allTokens, {
      recoveryEnabled: true, errorMessageProvider: errorMessages, maxLookahead: 2, skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.CONSUME(Newline));
    this.MANY2(() => this.OR(this.lineAlternatives));
  });

  /** A line outside a block: a statement, or a line that belongs nowhere (reported, then skipped). */
  private lineAlternatives = [
    { ALT: () => this.SUBRULE(this.statement) },
    { ALT: () => this.SUBRULE(this.misplacedLayer) },
    { ALT: () => this.SUBRULE(this.strayLine) },
  ];

  private statement = this.RULE('statement', () => {
    this.OR(this.statementAlternatives);
  });

  /** Built once: Chevrotain would otherwise allocate the alternatives on every statement. */
  private statementAlternatives = [
    { ALT: () => this.SUBRULE(this.ganStatement) },
    { ALT: () => this.SUBRULE(this.dataStatement) },
    { ALT: () => this.SUBRULE(this.latentStatement) },
    { ALT: () => this.SUBRULE(this.networkStatement) },
    { ALT: () => this.SUBRULE(this.normalizeStatement) },
    { ALT: () => this.SUBRULE(this.lossStatement) },
    { ALT: () => this.SUBRULE(this.letStatement) },
    { ALT: () => this.SUBRULE(this.regStatement) },
    { ALT: () => this.SUBRULE(this.clipStatement) },
    { ALT: () => this.SUBRULE(this.optimizerStatement) },
    { ALT: () => this.SUBRULE(this.trainStatement) },
    { ALT: () => this.SUBRULE(this.initStatement) },
    { ALT: () => this.SUBRULE(this.augmentStatement) },
  ];

  /** One or more newlines: the end of a line, with any blank or comment lines after it. */
  private endOfLine = this.RULE('endOfLine', () => {
    this.AT_LEAST_ONE(() => this.CONSUME(Newline));
  });

  private ganStatement = this.RULE('ganStatement', () => {
    this.CONSUME(K.gan);
    this.CONSUME(Identifier);
    this.SUBRULE(this.endOfLine);
  });

  private dataStatement = this.RULE('dataStatement', () => {
    this.CONSUME(K.data);
    this.SUBRULE(this.dataSource);
    this.OPTION(() => this.CONSUME(StringLiteral));
    this.MANY(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  /** A data set's name; `mnist-idx` has a hyphen, which a NAME cannot hold. */
  private dataSource = this.RULE('dataSource', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Minus);
      this.CONSUME2(Identifier);
    });
  });

  private latentStatement = this.RULE('latentStatement', () => {
    this.CONSUME(K.latent);
    this.CONSUME(Identifier);
    this.SUBRULE(this.expression);
    this.MANY(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  private networkStatement = this.RULE('networkStatement', () => {
    this.CONSUME(NetworkKeyword);
    this.SUBRULE(this.endOfLine);
    this.MANY(() => this.OR(this.blockLineAlternatives));
  });

  private blockLineAlternatives = [
    { ALT: () => this.SUBRULE(this.layer) },
    { ALT: () => this.SUBRULE(this.strayLine) },
  ];

  private layer = this.RULE('layer', () => {
    this.CONSUME(Identifier);
    this.MANY(() => this.SUBRULE(this.expression));
    this.MANY2(() => this.SUBRULE(this.namedOption));
    this.SUBRULE(this.endOfLine);
  });

  /** A line that starts with a name outside a block: a layer out of place, or a misspelt statement. */
  private misplacedLayer = this.RULE('misplacedLayer', () => {
    this.CONSUME(Identifier);
    this.MANY(() => this.CONSUME(LineContent));
    this.SUBRULE(this.endOfLine);
  });

  /** A line that starts with something no line starts with (`kernel 3`, `) gp`). */
  private strayLine = this.RULE('strayLine', () => {
    this.CONSUME(StrayStart);
    this.MANY(() => this.CONSUME(LineContent));
    this.SUBRULE(this.endOfLine);
  });

  private normalizeStatement = this.RULE('normalizeStatement', () => {
    this.CONSUME(K.normalize);
    this.CONSUME(Identifier);
    this.CONSUME2(Identifier);
    this.SUBRULE(this.endOfLine);
  });

  private lossStatement = this.RULE('lossStatement', () => {
    this.CONSUME(K.loss);
    this.CONSUME(Identifier);
    this.SUBRULE(this.endOfLine);
  });

  private letStatement = this.RULE('letStatement', () => {
    this.CONSUME(K.let);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.endOfLine);
  });

  private regStatement = this.RULE('regStatement', () => {
    this.CONSUME(K.reg);
    // `reg cubic = ...` names the regularizer; two tokens of lookahead tell it from a formula.
    this.OPTION(() => {
      this.CONSUME(Identifier);
      this.CONSUME(Equals);
    });
    this.SUBRULE(this.expression);
    this.MANY(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  private clipStatement = this.RULE('clipStatement', () => {
    this.CONSUME(K.clip);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.endOfLine);
  });

  private optimizerStatement = this.RULE('optimizerStatement', () => {
    this.CONSUME(K.optimizer);
    this.CONSUME(Identifier);
    this.CONSUME2(Identifier);
    this.MANY(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  private trainStatement = this.RULE('trainStatement', () => {
    this.CONSUME(K.train);
    this.MANY(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  /** `init D kaiming`, `init G normal 0.02`: how a network's weights start. */
  private initStatement = this.RULE('initStatement', () => {
    this.CONSUME(K.init);
    this.CONSUME(Identifier);
    this.CONSUME2(Identifier);
    this.MANY(() => this.SUBRULE(this.expression));
    this.SUBRULE(this.endOfLine);
  });

  /** `augment flip, translate 0.125, cutout 0.5, color diff`: augmentations, comma-separated, then options. */
  private augmentStatement = this.RULE('augmentStatement', () => {
    this.CONSUME(K.augment);
    this.SUBRULE(this.augmentOp);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.augmentOp);
    });
    this.MANY2(() => this.SUBRULE(this.statementOption));
    this.SUBRULE(this.endOfLine);
  });

  /** One augmentation and its arguments; `flip` is also an option word, so either token names one. */
  private augmentOp = this.RULE('augmentOp', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(OptionKeyword) },
    ]);
    this.MANY(() => this.SUBRULE(this.expression));
  });

  /** An option word and its values: `kernel 4`, `betas 0.5 0.999`, `padding same`, `flip`. */
  private namedOption = this.RULE('namedOption', () => {
    this.CONSUME(OptionKeyword);
    this.MANY(() => this.SUBRULE(this.expression));
  });

  /**
   * Where a statement's options go, a name that is no option word (`train step 40`) is read as an
   * unknown option, so the checker can name it and suggest the statement's nearest option. (In a layer,
   * and after an option's values, such a name reads as one more value; the checker looks there too.)
   */
  private statementOption = this.RULE('statementOption', () => {
    this.OR(this.statementOptionAlternatives);
  });

  private statementOptionAlternatives = [
    { ALT: () => this.SUBRULE(this.namedOption) },
    { ALT: () => this.SUBRULE(this.unknownOption) },
  ];

  private unknownOption = this.RULE('unknownOption', () => {
    this.CONSUME(Identifier);
    this.MANY(() => this.SUBRULE(this.expression));
  });

  // Expressions, loosest first. `^` binds tightest and is right-associative; unary minus sits
  // between `*` and `^`, so `-x^2` is `-(x^2)` and `2^-1` works.
  private expression = this.RULE('expression', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.CONSUME(AdditiveOperator);
      this.SUBRULE2(this.multiplicative);
    });
  });

  private multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(MultiplicativeOperator);
      this.SUBRULE2(this.unary);
    });
  });

  private unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(Minus));
    this.SUBRULE(this.power);
  });

  private power = this.RULE('power', () => {
    this.SUBRULE(this.primary);
    this.OPTION(() => {
      this.CONSUME(Caret);
      this.SUBRULE(this.unary);
    });
  });

  private primary = this.RULE('primary', () => {
    this.OR(this.primaryAlternatives);
  });

  private primaryAlternatives = [
    { ALT: () => this.CONSUME(NumberLiteral) },
    { ALT: () => { this.CONSUME(LParen); this.SUBRULE(this.expression); this.CONSUME(RParen); } },
    { ALT: () => { this.CONSUME(Identifier); this.OPTION(() => this.SUBRULE(this.callArguments)); } },
  ];

  private callArguments = this.RULE('callArguments', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => { this.CONSUME(Comma); this.SUBRULE2(this.expression); });
    });
    this.CONSUME(RParen);
  });
}

/** One parser instance, reused: Chevrotain parsers are built once and reset per input. */
export const parser = new GancParser();

export function parseTokens(tokens: IToken[]): CstNode {
  parser.input = tokens;
  return parser.file();
}

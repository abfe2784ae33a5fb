// The tokens of the ganc language. Newlines end statements, so they are tokens; `#` comments go to a
// side group (the printer keeps them). Statement and option words are keywords, so `conv 64 kernel 4`
// has one reading; every other word (layer, loss, function names, D/G, real/fake) is an Identifier
// that the checker resolves, which lets it say "unknown layer 'convv' (did you mean 'conv'?)".
import { createToken, Lexer, type TokenType } from './chevrotain.js';

// Categories for lines that start nothing the grammar knows, so the parser can step over such a line,
// report it, and go on with the next (instead of stopping at the first stray line).
/** Every token but the newline: what the rest of a stray line may hold. */
export const LineContent = createToken({ name: 'LineContent', pattern: Lexer.NA, label: 'anything' });
/** Tokens that start neither a statement nor a layer. */
export const StrayStart = createToken({ name: 'StrayStart', pattern: Lexer.NA, label: 'a stray token' });
const STRAY = [StrayStart, LineContent];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true, label: 'end of line' });

export const Identifier = createToken({
  name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [LineContent], label: 'a name',
});
/** `log(` is the function; a bare `log` is the `train` option. */
export const LogFunction = createToken({
  name: 'LogFunction', pattern: /log(?=[ \t]*\()/, start_chars_hint: ['l'], categories: [Identifier, LineContent], label: 'a name',
});

export const NumberLiteral = createToken({
  name: 'NumberLiteral', pattern: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, categories: STRAY, label: 'a number',
});
export const StringLiteral = createToken({
  name: 'StringLiteral', pattern: /"[^"\n]*"/, categories: STRAY, label: 'a string',
});
/** Matched only when the closing quote is missing, so the lexer can say exactly that. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^"\n]*/ });

// Operator categories let one CONSUME take either operator of a precedence level.
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA, label: "'+' or '-'" });
export const MultiplicativeOperator = createToken({
  name: 'MultiplicativeOperator', pattern: Lexer.NA, label: "'*' or '/'",
});
export const Plus = createToken({ name: 'Plus', pattern: '+', categories: [AdditiveOperator, ...STRAY], label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: '-', categories: [AdditiveOperator, ...STRAY], label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: '*', categories: [MultiplicativeOperator, ...STRAY], label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: '/', categories: [MultiplicativeOperator, ...STRAY], label: "'/'" });
export const Caret = createToken({ name: 'Caret', pattern: '^', categories: STRAY, label: "'^'" });
export const LParen = createToken({ name: 'LParen', pattern: '(', categories: STRAY, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', categories: STRAY, label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', categories: STRAY, label: "','" });
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: STRAY, label: "'='" });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  return createToken({
    name: `${word[0].toUpperCase()}${word.slice(1)}Keyword`,
    pattern: new RegExp(`${word}\\b`),
    longer_alt: Identifier,
    categories: [...categories, LineContent],
    label: `'${word}'`,
  });
}

/** Category token: `generator` or `discriminator`. */
export const NetworkKeyword = createToken({ name: 'NetworkKeyword', pattern: Lexer.NA, label: "'generator' or 'discriminator'" });

/** Category token: matches any option keyword. */
export const OptionKeyword = createToken({ name: 'OptionKeyword', pattern: Lexer.NA, label: 'an option' });

/** The words that start a statement. */
export const StatementKeywords = {
  gan: keyword('gan'), data: keyword('data'), latent: keyword('latent'),
  generator: keyword('generator', [NetworkKeyword]), discriminator: keyword('discriminator', [NetworkKeyword]),
  normalize: keyword('normalize'), loss: keyword('loss'), let: keyword('let'), reg: keyword('reg'),
  clip: keyword('clip'), optimizer: keyword('optimizer'), train: keyword('train'), augment: keyword('augment'),
  // `init D kaiming` starts a statement; inside a layer line (`conv 64 init normal 0.02`) the same word is
  // an option, so the token is also an option keyword. It is no stray start: a line that begins with it is
  // the statement.
  init: keyword('init', [OptionKeyword]),
} as const;

/** Every option word: the parser takes any of them anywhere options go; the checker says which belong where. */
export const OPTION_NAMES = [
  'kernel', 'stride', 'padding', 'window', 'batch', 'fraction', 'size', 'channels', 'flip',
  'lr', 'betas', 'eps', 'momentum', 'decay', 'steps', 'ndis', 'ema', 'seed', 'log', 'sample',
  'checkpoint', 'eval', 'bias', 'warmup', 'labels', 'classes', 'diff', 'init',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

/** `init` is also a statement keyword (StatementKeywords.init); every other option word has a token of its own here. */
export const OptionKeywords: TokenType[] = OPTION_NAMES.filter((word) => word !== 'init')
  .map((word) => keyword(word, [OptionKeyword, StrayStart]));

/** Order matters: keywords before Identifier, LogFunction before the `log` keyword, strings before the unterminated form. */
export const allTokens: TokenType[] = [
  LineContent, StrayStart, WhiteSpace, Comment, Newline,
  LogFunction,
  NetworkKeyword, ...Object.values(StatementKeywords),
  OptionKeyword, ...OptionKeywords,
  Identifier, NumberLiteral, StringLiteral, UnterminatedString,
  AdditiveOperator, MultiplicativeOperator, Plus, Minus, Star, Slash, Caret, LParen, RParen, Comma, Equals,
];

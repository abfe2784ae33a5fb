// The abstract syntax tree: what a spec says, before any name is resolved. Every node carries its
// source location. Comments are kept on the statement or layer they belong to, so the printer can
// write them back: full-line comments above an item are its `comments`, a comment at the end of its
// line is its `trailingComment`; comments after the last item belong to the file.
import type { SourceLocation } from './diagnostics.js';
import type { OptionName } from './tokens.js';

export type { SourceLocation, OptionName };

interface NodeBase {
  loc: SourceLocation;
}

/** A bare word: a layer, loss, network or input name, resolved by the checker. */
export interface Identifier extends NodeBase { kind: 'Identifier'; name: string }
export interface StringLiteral extends NodeBase { kind: 'String'; value: string }

// ---- expressions ----
/** `raw` is the number as written (`2e-4`), which the printer keeps. */
export interface NumberLiteral extends NodeBase { kind: 'Number'; value: number; raw: string }
export interface NameRef extends NodeBase { kind: 'Name'; name: string }
export interface Negation extends NodeBase { kind: 'Neg'; arg: Expression }
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';
export interface BinaryExpression extends NodeBase {
  kind: 'Binary'; op: BinaryOperator; left: Expression; right: Expression;
}
export interface CallExpression extends NodeBase { kind: 'Call'; callee: Identifier; args: Expression[] }
export type Expression = NumberLiteral | NameRef | Negation | BinaryExpression | CallExpression;

/** `kernel 4`, `betas 0.5 0.999`, `padding same`, `flip`. */
export interface OptionNode extends NodeBase { kind: 'Option'; name: OptionName; values: Expression[] }
/** A name where a statement's options go that is no option word (`train step 40`): the checker reports it. */
export interface UnknownOptionNode extends NodeBase { kind: 'UnknownOption'; name: string; values: Expression[] }
/** What may stand where a statement's options go. */
export type StatementOption = OptionNode | UnknownOptionNode;

interface Commented {
  /** Full-line comments directly above, each as written (`# ...`). */
  comments: string[];
  /** A comment at the end of this item's own line. */
  trailingComment?: string;
}

// ---- statements ----
interface StatementBase extends NodeBase, Commented {}

export interface GanStatement extends StatementBase { kind: 'Gan'; name: Identifier }
export interface DataStatement extends StatementBase {
  kind: 'Data'; source: Identifier; path?: StringLiteral; options: StatementOption[];
}
/** `latent normal 128 [classes 10]`. */
export interface LatentStatement extends StatementBase {
  kind: 'Latent'; dist: Identifier; dim: Expression; options: StatementOption[];
}
/** One augmentation of an `augment` statement: `translate 0.125`. */
export interface AugmentOp extends NodeBase { kind: 'AugmentOp'; name: Identifier; args: Expression[] }
/** `augment flip, translate 0.125, cutout 0.5, color [diff]`. */
export interface AugmentStatement extends StatementBase { kind: 'Augment'; ops: AugmentOp[]; options: StatementOption[] }
export interface Layer extends NodeBase, Commented {
  kind: 'Layer'; name: Identifier; args: Expression[]; options: OptionNode[];
}
export interface NetworkStatement extends StatementBase {
  kind: 'Network'; network: 'generator' | 'discriminator'; layers: Layer[];
}
export interface NormalizeStatement extends StatementBase { kind: 'Normalize'; network: Identifier; method: Identifier }
export interface LossStatement extends StatementBase { kind: 'Loss'; loss: Identifier }
export interface LetStatement extends StatementBase { kind: 'Let'; name: Identifier; value: Expression }
/** `reg [NAME =] EXPR [window N]`; the name labels the regularizer in logs and the report. */
export interface RegStatement extends StatementBase {
  kind: 'Reg'; name?: Identifier; formula: Expression; options: StatementOption[];
}
export interface ClipStatement extends StatementBase { kind: 'Clip'; value: Expression }
export interface OptimizerStatement extends StatementBase {
  kind: 'Optimizer'; network: Identifier; algorithm: Identifier; options: StatementOption[];
}
export interface TrainStatement extends StatementBase { kind: 'Train'; options: StatementOption[] }
/** `init D kaiming`, `init G normal 0.02`: the scheme and its arguments. */
export interface InitStatement extends StatementBase {
  kind: 'Init'; network: Identifier; scheme: Identifier; args: Expression[];
}

export type Statement =
  | GanStatement | DataStatement | LatentStatement | NetworkStatement | NormalizeStatement | LossStatement
  | LetStatement | RegStatement | ClipStatement | OptimizerStatement | TrainStatement | InitStatement
  | AugmentStatement;

export interface SpecFile extends NodeBase {
  kind: 'File';
  statements: Statement[];
  /** Comments after the last statement. */
  trailingComments: string[];
}

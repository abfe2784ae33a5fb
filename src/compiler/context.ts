// What every checking rule shares: the file being checked, its statements grouped by kind, the
// diagnostics so far and the `let` constants (CheckContext); the IR checked so far (DraftIR); and the
// one shape every rule has (CheckRule).
import type {
  AugmentStatement, ClipStatement, DataStatement, GanStatement, InitStatement, LatentStatement, LetStatement, LossStatement, NetworkStatement,
  NormalizeStatement, OptimizerStatement, RegStatement, SpecFile, Statement, TrainStatement,
} from '../parser/ast.js';
import { diagnosticAt, type Diagnostic, type SourceLocation } from '../parser/diagnostics.js';
import type {
  AugmentSpec, DataSpec, GanIR, LatentSpec, LossKind, Network, NetworkName, Normalization, Regularizer, TrainSpec,
} from '../ir/ir.js';
import type { InitScheme } from './params.js';

export interface LetBinding {
  /** Undefined when the let's own expression had an error (already reported); uses stay silent. */
  value: number | undefined;
  loc: SourceLocation;
  /** Position among the file's lets, for "a let can only use earlier lets". */
  order: number;
}

/** The statements of a spec by kind: the first of each single kind, every let, reg and optimizer. */
export interface SpecStatements {
  gan?: GanStatement;
  data?: DataStatement;
  latent?: LatentStatement;
  generator?: NetworkStatement;
  discriminator?: NetworkStatement;
  normalize?: NormalizeStatement;
  loss?: LossStatement;
  clip?: ClipStatement;
  train?: TrainStatement;
  augment?: AugmentStatement;
  lets: LetStatement[];
  regs: RegStatement[];
  optimizers: OptimizerStatement[];
  /** `init` statements: one per network, which their own rule checks. */
  inits: InitStatement[];
  /** Second and later statements of a single kind, in source order; the statements rule reports them. */
  repeated: RepeatedStatement[];
}

/** The kinds a spec may have at most one of. */
export type SingleKind = Exclude<keyof SpecStatements, 'lets' | 'regs' | 'optimizers' | 'inits' | 'repeated'>;

export interface RepeatedStatement {
  kind: SingleKind;
  statement: Statement;
  first: Statement;
}

export function collectStatements(spec: SpecFile): SpecStatements {
  const found: SpecStatements = { lets: [], regs: [], optimizers: [], inits: [], repeated: [] };
  const keep = <K extends SingleKind>(kind: K, statement: NonNullable<SpecStatements[K]>): void => {
    const first = found[kind];
    if (first) found.repeated.push({ kind, statement, first });
    else found[kind] = statement;
  };
  for (const s of spec.statements) {
    switch (s.kind) {
      case 'Gan': keep('gan', s); break;
      case 'Data': keep('data', s); break;
      case 'Latent': keep('latent', s); break;
      case 'Network': keep(s.network, s); break;
      case 'Normalize': keep('normalize', s); break;
      case 'Loss': keep('loss', s); break;
      case 'Clip': keep('clip', s); break;
      case 'Train': keep('train', s); break;
      case 'Let': found.lets.push(s); break;
      case 'Reg': found.regs.push(s); break;
      case 'Optimizer': found.optimizers.push(s); break;
      case 'Init': found.inits.push(s); break;
      case 'Augment': keep('augment', s); break;
    }
  }
  return found;
}

/** Settings of a check that are not in the spec. */
export interface CheckOptions {
  /** Bytes one training step may need by the checker's estimate (default: resources.ts's DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Filled by the lets rule; constant expressions resolve names here. */
  readonly lets = new Map<string, LetBinding>();
  readonly statements: SpecStatements;

  constructor(readonly spec: SpecFile, readonly file: string, readonly options: CheckOptions = {}) {
    this.statements = collectStatements(spec);
  }

  report(at: { loc: SourceLocation } | SourceLocation, message: string): void {
    const loc = 'loc' in at ? at.loc : at;
    this.diagnostics.push(diagnosticAt(this.file, loc, message));
  }
}

/** `line 3`, for messages that point at a second place. */
export const lineOf = (loc: SourceLocation): string => `line ${loc.line}`;

export interface CheckedNetwork {
  /** Undefined when any layer had an error. */
  network?: Network;
  /** Kept for messages about the network as a whole (its last layer, say). */
  statement: NetworkStatement;
}

/**
 * The IR as far as the rules have checked it. Each part is written by one rule and read by later ones; a
 * part is undefined before its rule runs, and stays undefined where its statement is missing or wrong
 * (the diagnostic says why). `constants` also stands for `CheckContext.lets`, which the same rule fills:
 * a rule that reads any number from the spec resolves let names there, so it reads 'constants'.
 */
export interface DraftIR {
  name?: string;
  constants?: Record<string, number>;
  data?: DataSpec;
  latent?: LatentSpec;
  normalize?: Normalization;
  loss?: LossKind;
  generator?: CheckedNetwork;
  discriminator?: CheckedNetwork;
  regularizers?: Regularizer[];
  clip?: number | null;
  optimizers?: GanIR['optimizers'];
  train?: TrainSpec;
  /** The `augment` statement, absent without one (or with an error in it). */
  augment?: AugmentSpec;
  /** Each network's `init` scheme (absent: PyTorch's defaults); the checked parameters carry it into the IR. */
  init?: Partial<Record<NetworkName, InitScheme>>;
}

export type DraftPart = keyof DraftIR;

/**
 * One checking rule: it reads the statements it owns from `ctx.statements`, reports what is wrong, and
 * writes its `writes` parts of the draft. It may read only the parts in `reads` (the draft's type holds
 * it to that), which earlier rules in RULES must write; a test checks the order.
 */
export interface CheckRule<Reads extends DraftPart = DraftPart, Writes extends DraftPart = DraftPart> {
  /** Named like its file, in kebab-case. */
  name: string;
  reads: readonly Reads[];
  writes: readonly Writes[];
  check(ctx: CheckContext, draft: Readonly<Pick<DraftIR, Reads>> & Pick<DraftIR, Writes>): void;
}

/** Infers a rule's `Reads` and `Writes` from its lists, so each is written once. */
export const defineRule = <Reads extends DraftPart = never, Writes extends DraftPart = never>(
  rule: CheckRule<Reads, Writes>,
): CheckRule<Reads, Writes> => rule;

// The registry of built-in regularizer terms: one file each; adding a term is a file and a line here.
// The order is the order of logs, IR lists and help texts.
import { allNodes, type Expr } from '../expr.js';
import type { TermDefinition } from '../term.js';
import { bcr } from './bcr.js';
import { cr } from './cr.js';
import { R } from './gradient-norm-difference.js';
import { gp } from './gp.js';
import { l2 } from './l2.js';
import { r1 } from './r1.js';
import { r2 } from './r2.js';
import { R_t } from './windowed-gradient-norm-difference.js';

const DEFINITIONS = [gp, r1, r2, l2, R, R_t, cr, bcr] as const;

export type BuiltinTerm = (typeof DEFINITIONS)[number]['name'];
export const BUILTIN_TERMS: readonly TermDefinition<BuiltinTerm>[] = DEFINITIONS as readonly TermDefinition<BuiltinTerm>[];
export const BUILTIN_TERM_NAMES: readonly BuiltinTerm[] = BUILTIN_TERMS.map((t) => t.name);

const BY_NAME = new Map<string, TermDefinition<BuiltinTerm>>(BUILTIN_TERMS.map((t) => [t.name, t]));
export const isBuiltinTerm = (name: string): name is BuiltinTerm => BY_NAME.has(name);
export const termDefinition = (name: BuiltinTerm): TermDefinition<BuiltinTerm> => BY_NAME.get(name)!;

/** Whether a formula uses a windowed term: only then does a regularizer's `window N` mean anything. */
export function usesWindowedTerm(formula: Expr): boolean {
  return allNodes(formula).some((e) => e.op === 'term' && termDefinition(e.term).kind === 'windowed');
}

/** The windowed terms' names, for messages. */
export const WINDOWED_TERM_NAMES: readonly BuiltinTerm[] = BUILTIN_TERMS.filter((t) => t.kind === 'windowed').map((t) => t.name);

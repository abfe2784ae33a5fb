// What a typed formula needs the D step to build: the one place needs are derived (from the formula
// and each term's registry entry); the IR carries the result to the runtime.
import type { DInput, Expr, Regularizer } from '../ir/ir.js';
import { foldExpr } from '../terms/expr.js';
import { inInputOrder } from '../terms/inputs.js';
import { BUILTIN_TERM_NAMES, termDefinition, type BuiltinTerm } from '../terms/regularizer-terms/index.js';

interface Needs { gradInputs: Set<DInput>; dInputs: Set<DInput>; terms: Set<BuiltinTerm> }

const none = (): Needs => ({ gradInputs: new Set(), dInputs: new Set(), terms: new Set() });
const union = (...all: Needs[]): Needs => {
  const out = none();
  for (const n of all) {
    n.gradInputs.forEach((i) => out.gradInputs.add(i));
    n.dInputs.forEach((i) => out.dInputs.add(i));
    n.terms.forEach((t) => out.terms.add(t));
  }
  return out;
};

/** A term's needs with those of the terms it is built from. */
function termNeeds(name: BuiltinTerm): Needs {
  const term = termDefinition(name);
  const own: Needs = { gradInputs: new Set(term.gradInputs), dInputs: new Set(term.dInputs), terms: new Set([name]) };
  return union(own, ...term.uses.map(termNeeds));
}

export function formulaNeeds(formula: Expr): Regularizer['needs'] {
  const needs = foldExpr<Needs>(formula, {
    num: none,
    const: none,
    binary: (_e, a, b) => union(a, b),
    neg: (_e, a) => a,
    call: (_e, a) => a,
    reduce: (_e, a) => a,
    norm: (_e, a) => a,
    D: (e) => ({ ...none(), dInputs: new Set([e.input]) }),
    grad: (e) => ({ ...none(), gradInputs: new Set([e.input]) }),
    term: (e) => termNeeds(e.term),
  });
  return {
    gradInputs: inInputOrder(needs.gradInputs),
    dInputs: inInputOrder(needs.dInputs),
    terms: BUILTIN_TERM_NAMES.filter((t) => needs.terms.has(t)),
  };
}

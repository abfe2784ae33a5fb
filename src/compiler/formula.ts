// Regularizer formulas → typed IR expressions. Each value is a scalar, a batch (one number per
// sample) or a sample (a data-shaped tensor per sample); elementwise operations broadcast a scalar,
// and a batch never meets a sample.
import type { CallExpression, Expression, NameRef } from '../parser/ast.js';
import { undefinedNameMessage } from './constants.js';
import type { CheckContext } from './context.js';
import type { BinaryOp, DInput, Expr, ValueType } from '../ir/ir.js';
import { closestName, unknownNameMessage } from '../parser/suggest.js';
import { type BuiltinTerm, termDefinition } from '../terms/regularizer-terms/index.js';
import { BUILTIN_TERMS, D_INPUTS, FUNCTIONS, isOneOf, REDUCE_FNS } from './vocabulary.js';

const BINARY_OPS = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' } as const satisfies Record<string, BinaryOp>;

const A_VALUE: Record<ValueType, string> = {
  scalar: 'a scalar', batch: 'a batch value (one number per sample)', sample: 'a sample value (one tensor per sample)',
};

/** The typed formula, or undefined after reporting every problem found in it. */
export function typeFormula(e: Expression, ctx: CheckContext): Expr | undefined {
  switch (e.kind) {
    case 'Number':
      if (!Number.isFinite(e.value)) {
        ctx.report(e, `number ${e.raw} is too large`);
        return undefined;
      }
      return { op: 'num', value: e.value, type: 'scalar' };
    case 'Name':
      return typeName(e, ctx);
    case 'Neg': {
      const arg = typeFormula(e.arg, ctx);
      return arg && { op: 'neg', arg, type: arg.type };
    }
    case 'Binary': {
      const left = typeFormula(e.left, ctx);
      const right = typeFormula(e.right, ctx);
      if (!left || !right) return undefined;
      const type = combine(left.type, right.type);
      if (!type) {
        ctx.report(e, `'${e.op}' cannot combine ${A_VALUE[left.type]} with ${A_VALUE[right.type]}: `
          + 'reduce one of them first with norm, mean or sum');
        return undefined;
      }
      return { op: BINARY_OPS[e.op], args: [left, right], type };
    }
    case 'Call':
      return typeCall(e, ctx);
  }
}

function combine(a: ValueType, b: ValueType): ValueType | undefined {
  if (a === 'scalar') return b;
  if (b === 'scalar' || a === b) return a;
  return undefined;
}

function typeName(e: NameRef, ctx: CheckContext): Expr | undefined {
  if (isOneOf(BUILTIN_TERMS, e.name)) return { op: 'term', term: e.name, type: 'scalar' };
  const binding = ctx.lets.get(e.name);
  if (binding) return binding.value === undefined ? undefined : { op: 'const', name: e.name, value: binding.value, type: 'scalar' };
  if (isOneOf(D_INPUTS, e.name)) {
    ctx.report(e, `'${e.name}' is an input of D, not a value: write D(${e.name}) or grad(D, ${e.name})`);
  } else if (e.name === 'D') {
    ctx.report(e, "'D' is a network, not a value: write D(real), D(fake) or D(interp)");
  } else if (e.name === 'G') {
    ctx.report(e, `'G' cannot be used in a formula: regularizers are built from D(...), grad(D, ...) and the terms ${
      BUILTIN_TERMS.join(', ')}`);
  } else if (isOneOf(FUNCTIONS, e.name)) {
    ctx.report(e, `'${e.name}' is a function: call it, as in ${e.name}(...)`);
  } else {
    ctx.report(e, unknownFormulaNameMessage(e.name, [...ctx.lets.keys()]));
  }
  return undefined;
}

/**
 * An unknown name in a formula: the let or term it is spelt nearest to; else the term it names by another
 * name (`grad_pen`, `gradient_penalty`) or by its words' initials (`grad_pen` → gp); else what to do.
 */
export function unknownFormulaNameMessage(name: string, lets: readonly string[]): string {
  if (closestName(name, [...lets, ...BUILTIN_TERMS])) return undefinedNameMessage(name, [...lets, ...BUILTIN_TERMS]);
  const term = termCalled(name);
  if (term) return `undefined name '${name}' (did you mean the built-in term '${term}'?)`;
  return `undefined name '${name}': define it with 'let ${name} = ...', or use a built-in term (${BUILTIN_TERMS.join(', ')})`;
}

/** Lower case without '_' and '-', as the registry writes aliases. */
const aliasKey = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

function termCalled(name: string): BuiltinTerm | undefined {
  const byKey = new Map<string, BuiltinTerm>();
  for (const term of BUILTIN_TERMS) {
    for (const alias of [aliasKey(term), ...termDefinition(term).aliases]) byKey.set(alias, term);
  }
  const exact = byKey.get(aliasKey(name));
  if (exact) return exact;
  // Initials of the words of `grad_penalty` or `gradPenalty`: gp.
  const words = name.split(/[_-]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w !== '');
  const initials = words.map((w) => w[0]).join('').toLowerCase();
  const byInitials = words.length >= 2 ? BUILTIN_TERMS.find((t) => t.toLowerCase() === initials) : undefined;
  if (byInitials) return byInitials;
  // A typo in an alias; aliases share words (`r1penalty`, `gradpen`), so only two edits.
  const alias = closestName(aliasKey(name), [...byKey.keys()], 2);
  return alias === undefined ? undefined : byKey.get(alias);
}

function typeCall(e: CallExpression, ctx: CheckContext): Expr | undefined {
  const fn = e.callee.name;
  if (isOneOf(BUILTIN_TERMS, fn)) {
    ctx.report(e.callee, `'${fn}' is a term, not a function: write ${fn} without parentheses`);
    return undefined;
  }
  if (fn === 'G') {
    ctx.report(e.callee, "G cannot be evaluated in a regularizer: only D(real), D(fake), D(interp) and grad(D, ...) can");
    return undefined;
  }
  if (!isOneOf(FUNCTIONS, fn)) {
    ctx.report(e.callee, unknownNameMessage('function', fn, FUNCTIONS));
    return undefined;
  }
  const arity = fn === 'grad' ? 2 : 1;
  if (e.args.length !== arity) {
    const usage = fn === 'grad' ? 'grad(D, real|fake|interp)' : fn === 'D' ? 'D(real|fake|interp)' : `${fn}(x)`;
    ctx.report(e.args[arity] ?? e, `'${fn}' takes ${arity} argument${arity === 1 ? '' : 's'}, got ${e.args.length}: ${usage}`);
    return undefined;
  }
  if (fn === 'D') {
    const input = dInput(e.args[0], 'D', ctx);
    return input && { op: 'D', input, type: 'batch' };
  }
  if (fn === 'grad') {
    const [network, of] = e.args;
    const networkOk = network.kind === 'Name' && network.name === 'D';
    if (!networkOk) {
      ctx.report(network, network.kind === 'Name' && network.name === 'G'
        ? "the gradient of G cannot be built here: only grad(D, real|fake|interp), the gradient of D's output w.r.t. its input"
        : "grad's first argument must be D: grad(D, real|fake|interp)");
    }
    const input = dInput(of, 'grad', ctx);
    return networkOk && input ? { op: 'grad', input, type: 'sample' } : undefined;
  }
  const arg = typeFormula(e.args[0], ctx);
  if (!arg) return undefined;
  if (isOneOf(REDUCE_FNS, fn)) return { op: 'reduce', fn, arg, type: 'scalar' };
  if (fn === 'norm') {
    if (arg.type !== 'sample') {
      ctx.report(e.args[0], `norm needs a sample value such as grad(D, real), got ${A_VALUE[arg.type]}`);
      return undefined;
    }
    return { op: 'norm', arg, type: 'batch' };
  }
  return { op: 'call', fn, arg, type: arg.type };
}

function dInput(e: Expression, fn: 'D' | 'grad', ctx: CheckContext): DInput | undefined {
  if (e.kind === 'Name' && isOneOf(D_INPUTS, e.name)) return e.name;
  const got = e.kind === 'Name' ? `'${e.name}'` : 'an expression';
  ctx.report(e, `${fn} is evaluated on real, fake or interp, got ${got}`);
  return undefined;
}

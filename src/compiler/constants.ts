// Constant expressions: layer sizes, option values and `let`s are numbers known before training.
// They may use numbers, `let` names, arithmetic and the elementwise functions.
import type { BinaryOperator, CallExpression, Expression, NameRef } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { BUILTIN_TERMS, D_INPUTS, isOneOf, UNARY_FNS } from './vocabulary.js';
import { closestName } from '../parser/suggest.js';
import { unaryFunction } from '../terms/functions.js';

const BINARY_VALUES: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '^': (a, b) => a ** b,
};

/** Which `let`s a name may refer to: inside a `let`, only earlier ones. */
export interface LetScope {
  beforeOrder?: number;
}

/**
 * The value of a constant expression, or undefined after reporting why there is none.
 * A name whose own `let` failed yields undefined without a second report.
 */
export function evaluateConstant(e: Expression, ctx: CheckContext, scope: LetScope = {}): number | undefined {
  const value = evaluate(e, ctx, scope);
  if (value === undefined) return undefined;
  if (!Number.isFinite(value)) {
    ctx.report(e, 'this value is not a finite number (it overflows, divides by zero or leaves a function\'s domain)');
    return undefined;
  }
  return value;
}

function evaluate(e: Expression, ctx: CheckContext, scope: LetScope): number | undefined {
  switch (e.kind) {
    case 'Number':
      if (!Number.isFinite(e.value)) {
        ctx.report(e, `number ${e.raw} is too large`);
        return undefined;
      }
      return e.value;
    case 'Name':
      return letValue(e, ctx, scope);
    case 'Neg': {
      const x = evaluate(e.arg, ctx, scope);
      return x === undefined ? undefined : -x;
    }
    case 'Binary': {
      const a = evaluate(e.left, ctx, scope);
      const b = evaluate(e.right, ctx, scope);
      return a === undefined || b === undefined ? undefined : BINARY_VALUES[e.op](a, b);
    }
    case 'Call':
      return callValue(e, ctx, scope);
  }
}

function callValue(e: CallExpression, ctx: CheckContext, scope: LetScope): number | undefined {
  const fn = e.callee.name;
  if (!isOneOf(UNARY_FNS, fn)) {
    ctx.report(e.callee, `'${fn}' cannot be used in a constant: only numbers, let names, + - * / ^ and `
      + `the functions ${UNARY_FNS.join(' ')}`);
    return undefined;
  }
  if (e.args.length !== 1) {
    ctx.report(e, `'${fn}' takes 1 argument, got ${e.args.length}`);
    return undefined;
  }
  const x = evaluate(e.args[0], ctx, scope);
  return x === undefined ? undefined : unaryFunction(fn).value(x);
}

function letValue(e: NameRef, ctx: CheckContext, scope: LetScope): number | undefined {
  const binding = ctx.lets.get(e.name);
  if (binding && (scope.beforeOrder === undefined || binding.order < scope.beforeOrder)) return binding.value;
  if (binding && binding.order === scope.beforeOrder) {
    ctx.report(e, `'${e.name}' cannot be defined in terms of itself`);
  } else if (binding) {
    ctx.report(e, `'${e.name}' is defined later, at line ${binding.loc.line}; a let can only use earlier lets`);
  } else if (isOneOf(BUILTIN_TERMS, e.name) || isOneOf(D_INPUTS, e.name)) {
    ctx.report(e, `'${e.name}' is not a constant: it can only be used in a reg formula`);
  } else {
    const visible = [...ctx.lets].filter(([, b]) => scope.beforeOrder === undefined || b.order < scope.beforeOrder);
    ctx.report(e, undefinedNameMessage(e.name, visible.map(([name]) => name)));
  }
  return undefined;
}

export function undefinedNameMessage(name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known);
  return suggestion ? `undefined name '${name}' (did you mean '${suggestion}'?)`
    : `undefined name '${name}': define it with 'let ${name} = ...'`;
}

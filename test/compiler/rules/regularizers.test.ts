// The regularizers rule alone: each `reg` formula typed to a scalar, with its window and what it needs.
// Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { BUILTIN_TERMS } from '../../../src/compiler/vocabulary.js';
import { irOf, itRejects, minimalSpec } from './minimal-spec.js';

describe('regularizers rule', () => {
  it('types each formula, keeps its text and window, and lists the D evaluations and gradients it needs', () => {
    const ir = irOf(minimalSpec({ added: ['reg 10 * gp', 'reg mean(D(fake)) + mean(norm(grad(D, real)))'] }));
    expect(ir.regularizers.map(({ index, text, window }) => ({ index, text, window }))).toEqual([
      { index: 0, text: '10 * gp', window: 1 },
      { index: 1, text: 'mean(D(fake)) + mean(norm(grad(D, real)))', window: 1 },
    ]);
    expect(ir.regularizers[0]!.formula).toEqual({
      op: 'mul', type: 'scalar', args: [{ op: 'num', value: 10, type: 'scalar' }, { op: 'term', term: 'gp', type: 'scalar' }],
    });
    expect(ir.regularizers[1]!.needs).toEqual({ gradInputs: ['real'], dInputs: ['fake'], terms: [] });
  });
  it('keeps a let by name with its value, and the window of R_t', () => {
    const [reg] = irOf(minimalSpec({ added: ['let lambda = 100', 'reg lambda * R_t window 2'] })).regularizers;
    expect(reg!.window).toBe(2);
    expect(reg!.formula).toMatchObject({ op: 'mul', args: [{ op: 'const', name: 'lambda', value: 100 }, { op: 'term', term: 'R_t' }] });
  });

  it('keeps a regularizer\'s name apart from its formula text', () => {
    const ir = irOf(minimalSpec({ added: ['let lambda = 100', 'reg cubic = lambda*R_t^3 window 2', 'reg 10 * gp'] }));
    expect(ir.regularizers.map(({ index, name, text, window }) => ({ index, name, text, window }))).toEqual([
      { index: 0, name: 'cubic', text: 'lambda * R_t ^ 3', window: 2 },
      { index: 1, name: undefined, text: '10 * gp', window: 1 },
    ]);
    expect('name' in ir.regularizers[1]!).toBe(false);
  });

  itRejects([
    ["grad G", minimalSpec({ added: ['reg mean(norm(grad(G, real)))'] }),
      ["7:20: the gradient of G cannot be built here: only grad(D, real|fake|interp), the gradient of D's output w.r.t. its input"]],
    ["D noise", minimalSpec({ added: ['reg mean(D(noise))'] }),
      ["7:12: D is evaluated on real, fake or interp, got 'noise'"]],
    ["G call", minimalSpec({ added: ['reg mean(G(real))'] }),
      ["7:10: G cannot be evaluated in a regularizer: only D(real), D(fake), D(interp) and grad(D, ...) can"]],
    ["real alone", minimalSpec({ added: ['reg mean(real)'] }),
      ["7:10: 'real' is an input of D, not a value: write D(real) or grad(D, real)"]],
    ["D variable", minimalSpec({ added: ['reg mean(D)'] }),
      ["7:10: 'D' is a network, not a value: write D(real), D(fake) or D(interp)"]],
    // The message lists every built-in term, whichever there are.
    ["G as a value", minimalSpec({ added: ['reg mean(G)'] }),
      [`7:10: 'G' cannot be used in a formula: regularizers are built from D(...), grad(D, ...) and the terms ${BUILTIN_TERMS.join(', ')}`]],
    ["function as a value", minimalSpec({ added: ['reg 2 * abs'] }),
      ["7:9: 'abs' is a function: call it, as in abs(...)"]],
    ["grad of a number", minimalSpec({ added: ['reg mean(norm(grad(2, real)))'] }),
      ["7:20: grad's first argument must be D: grad(D, real|fake|interp)"]],
    ["D of two inputs", minimalSpec({ added: ['reg mean(D(real, fake))'] }),
      ["7:18: 'D' takes 1 argument, got 2: D(real|fake|interp)"]],
    ["D of an expression", minimalSpec({ added: ['reg mean(D(real + fake))'] }),
      ["7:12: D is evaluated on real, fake or interp, got an expression"]],
    ["unknown function", minimalSpec({ added: ['reg mean(sine(D(real)))'] }),
      ["7:10: unknown function 'sine' (did you mean 'sin'?)"]],
    ["unknown name", minimalSpec({ added: ['let lambda = 10', 'reg lamda * gp'] }),
      ["8:5: undefined name 'lamda' (did you mean 'lambda'?)"]],
    ["undefined name", minimalSpec({ added: ['reg alpha * gp'] }),
      ["7:5: undefined name 'alpha': define it with 'let alpha = ...', or use a built-in term (gp, r1, r2, l2, R, R_t, cr, bcr)"]],
    // Names too far from a term's spelling still find the term by what people call it, or by initials.
    ["term by another name", minimalSpec({ added: ['reg 10*grad_pen'] }),
      ["7:8: undefined name 'grad_pen' (did you mean the built-in term 'gp'?)"]],
    ["term by a long name", minimalSpec({ added: ['reg 0.1 * weight_decay'] }),
      ["7:11: undefined name 'weight_decay' (did you mean the built-in term 'l2'?)"]],
    ["term by initials", minimalSpec({ added: ['reg 10 * grad_penalty'] }),
      ["7:10: undefined name 'grad_penalty' (did you mean the built-in term 'gp'?)"]],
    ["term by camel-case initials", minimalSpec({ added: ['reg 10 * gradPenalty'] }),
      ["7:10: undefined name 'gradPenalty' (did you mean the built-in term 'gp'?)"]],
    ["misspelt window", minimalSpec({ added: ['reg R_t ^ 2 windw 2'] }),
      ["7:13: unknown option 'windw' of 'reg' (did you mean 'window'?)"]],
    ["two regs of one name", minimalSpec({ added: ['reg a = gp', 'reg a = r1'] }),
      ["8:5: duplicate regularizer name 'a': it already names the reg at line 7; choose another"]],
    ["a term's name", minimalSpec({ added: ['reg gp = 10 * gp'] }),
      ["7:5: 'gp' is a built-in name of formulas and cannot name a regularizer; choose another"]],
    ["a function's name", minimalSpec({ added: ['reg abs = abs(R)'] }),
      ["7:5: 'abs' is a built-in name of formulas and cannot name a regularizer; choose another"]],
    ["a let's name", minimalSpec({ added: ['let lambda = 10', 'reg lambda = lambda * gp'] }),
      ["8:5: 'lambda' is already a let (line 7) and cannot also name a regularizer; choose another"]],
    ["misspelt term", minimalSpec({ added: ['reg 10 * gpp'] }),
      ["7:10: undefined name 'gpp' (did you mean 'gp'?)"]],
    ["batch formula", minimalSpec({ added: ['reg D(real)'] }),
      ["7:5: a reg formula must be a scalar, but this is a batch value (one number per sample): wrap it in mean(...) or sum(...)"]],
    ["sample formula", minimalSpec({ added: ['reg grad(D, real)'] }),
      ["7:5: a reg formula must be a scalar, but this is a sample value (one tensor per sample): wrap it in mean(...) or sum(...)"]],
    ["batch plus sample", minimalSpec({ added: ['reg mean(D(real) + grad(D, real))'] }),
      ["7:10: '+' cannot combine a batch value (one number per sample) with a sample value (one tensor per sample): reduce one of them first with norm, mean or sum"]],
    ["norm of batch", minimalSpec({ added: ['reg mean(norm(D(real)))'] }),
      ["7:15: norm needs a sample value such as grad(D, real), got a batch value (one number per sample)"]],
    ["grad one arg", minimalSpec({ added: ['reg mean(norm(grad(D)))'] }),
      ["7:15: 'grad' takes 2 arguments, got 1: grad(D, real|fake|interp)"]],
    ["abs two args", minimalSpec({ added: ['reg abs(gp, r1)'] }),
      ["7:13: 'abs' takes 1 argument, got 2: abs(x)"]],
    ["gp called", minimalSpec({ added: ['reg gp()'] }),
      ["7:5: 'gp' is a term, not a function: write gp without parentheses"]],
    ["huge in formula", minimalSpec({ added: ['reg 1e400 * gp'] }),
      ["7:5: number 1e400 is too large"]],
    ["window 0", minimalSpec({ added: ['reg R_t ^ 2 window 0'] }),
      ["7:20: window must be at least 1, got 0"]],
    ["window 1.5", minimalSpec({ added: ['reg R_t ^ 2 window 1.5'] }),
      ["7:20: window must be a whole number, got 1.5"]],
    ["window without R_t", minimalSpec({ added: ['reg gp window 2'] }),
      ["7:15: window only applies to R_t, and this formula does not use R_t"]],
    ["two R_t windows, one bad", minimalSpec({ added: ['reg R_t ^ 2 window 2', 'reg abs(R_t) window -1'] }),
      ["8:21: window must be at least 1, got -1"]],
  ]);
});

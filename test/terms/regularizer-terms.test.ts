// The term registry: each term's declared needs are exactly what its evaluation asks of the step (so the
// checker's IR, built from the declarations, always gives the runtime what it will use), and the facts
// the search relies on (never negative) hold on values.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_TERMS, BUILTIN_TERM_NAMES, termDefinition, type BuiltinTerm } from '../../src/terms/regularizer-terms/index.js';
import type { TermGraph } from '../../src/terms/term.js';
import { D_INPUTS, type DInput } from '../../src/terms/inputs.js';

interface Asked { D: Set<DInput>; grad: Set<DInput>; terms: Set<string> }

/** A step graph of random values that records what a term asks of it. */
function recordingGraph(seed: number): { graph: TermGraph<BuiltinTerm>; asked: Asked } {
  const asked: Asked = { D: new Set(), grad: new Set(), terms: new Set() };
  const inputs: DInput[] = [...D_INPUTS];
  const values = Object.fromEntries(inputs.map((input, i) => [input, tf.randomNormal([4], 0, 1, 'float32', seed + i) as tf.Tensor1D]));
  const grads = Object.fromEntries(inputs.map((input, i) => [input, tf.randomNormal([4, 3, 2], 0, 1, 'float32', seed + 10 + i)]));
  const graph: TermGraph<BuiltinTerm> = {
    D: (input) => { asked.D.add(input); return values[input]; },
    grad: (input) => { asked.grad.add(input); return grads[input]; },
    gradNorm: (input) => { asked.grad.add(input); return tf.norm(tf.reshape(grads[input], [4, -1]), 'euclidean', 1) as tf.Tensor1D; },
    discriminatorKernels: () => [tf.randomNormal([3, 5], 0, 1, 'float32', seed + 20)],
    term: (name) => {
      asked.terms.add(name);
      const term = termDefinition(name);
      if (term.kind !== 'step') throw new Error(`${name} is windowed`);
      return term.evaluate(graph);
    },
  };
  return { graph, asked };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the built-in term registry', () => {
  it('has unique names and each term it uses is registered', () => {
    expect(new Set(BUILTIN_TERM_NAMES).size).toBe(BUILTIN_TERM_NAMES.length);
    for (const term of BUILTIN_TERMS) for (const used of term.uses) expect(BUILTIN_TERM_NAMES).toContain(used);
  });

  it.each(BUILTIN_TERMS.filter((t) => t.kind === 'step').map((t) => [t.name, t] as const))(
    '%s asks the step for exactly what it declares', (_name, term) => {
      if (term.kind !== 'step') return;
      const { graph, asked } = recordingGraph(1);
      const value = term.evaluate(graph);
      expect(value.shape).toEqual([]);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      expect([...asked.grad].sort()).toEqual([...term.gradInputs].sort());
      expect([...asked.D].sort()).toEqual([...term.dInputs].sort());
      expect([...asked.terms].sort()).toEqual([...term.uses].sort());
    });

  it('a windowed term declares the term it averages, and that term\'s needs', () => {
    for (const term of BUILTIN_TERMS) {
      if (term.kind !== 'windowed') continue;
      const averaged = termDefinition(term.averages);
      expect(term.uses).toEqual([term.averages]);
      expect([...term.gradInputs].sort()).toEqual([...averaged.gradInputs].sort());
    }
  });

  it('terms marked never negative are never negative on random steps', () => {
    for (const term of BUILTIN_TERMS) {
      if (term.kind !== 'step' || !term.nonNegative) continue;
      for (let seed = 0; seed < 20; seed++) expect(term.evaluate(recordingGraph(seed * 31).graph).dataSync()[0]).toBeGreaterThanOrEqual(0);
    }
  });

  it('r2 is half the mean squared gradient norm at fake samples', () => {
    const { graph } = recordingGraph(5);
    const norms = graph.gradNorm('fake').dataSync();
    const expected = 0.5 * Array.from(norms).reduce((s, n) => s + n * n, 0) / norms.length;
    expect(termDefinition('r2').kind).toBe('step');
    const r2 = termDefinition('r2');
    if (r2.kind === 'step') expect(r2.evaluate(graph).dataSync()[0]).toBeCloseTo(expected, 5);
  });
});

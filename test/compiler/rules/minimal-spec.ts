// The smallest valid spec, with parts replaced or statements added, for testing one checking rule at a
// time: whatever the checker reports on it comes from the changed part.
import { expect, it } from 'vitest';
import { compileSource } from '../../../src/compiler/index.js';
import type { GanIR } from '../../../src/ir/ir.js';

/** The four statements every spec needs, each as its lines. */
export interface SpecParts {
  data: string[];
  latent: string[];
  generator: string[];
  discriminator: string[];
}

/**
 * 1 data ring8
 * 2 latent normal 2
 * 3 generator
 * 4   dense 2
 * 5 discriminator
 * 6   dense 1
 * Added statements start at line 7.
 */
export const MINIMAL_PARTS: SpecParts = {
  data: ['data ring8'],
  latent: ['latent normal 2'],
  generator: ['generator', '  dense 2'],
  discriminator: ['discriminator', '  dense 1'],
};

/**
 * The same for image data, for rules that need a sample of rank 3:
 * 1 data mnist
 * 2 latent normal 2
 * 3 generator
 * 4   dense 784
 * 5   reshape 28 28 1
 * 6 discriminator
 * 7   flatten
 * 8   dense 1
 * Added statements start at line 9.
 */
export const IMAGE_PARTS: SpecParts = {
  data: ['data mnist'],
  latent: ['latent normal 2'],
  generator: ['generator', '  dense 784', '  reshape 28 28 1'],
  discriminator: ['discriminator', '  flatten', '  dense 1'],
};

export interface SpecChanges extends Partial<SpecParts> {
  /** Parts to leave out altogether. */
  without?: (keyof SpecParts)[];
  /** Statements after the four parts, one a line. */
  added?: string[];
}

/** The minimal spec (or `base`) with the changed parts in place of its own, then the added statements. */
export function minimalSpec(changes: SpecChanges = {}, base: SpecParts = MINIMAL_PARTS): string {
  const { without = [], added = [], ...replaced } = changes;
  const parts = { ...base, ...replaced };
  const order: (keyof SpecParts)[] = ['data', 'latent', 'generator', 'discriminator'];
  const lines = order.filter((part) => !without.includes(part)).flatMap((part) => parts[part]);
  return `${[...lines, ...added].join('\n')}\n`;
}

/** Every spec is checked as this file; a spec without a `gan` line is named after it. */
export const SPEC_FILE = 't.gan';

/** The diagnostics of a spec, each as `line:col: message`, sorted by position as the checker reports them. */
export function messagesOf(spec: string): string[] {
  const { diagnostics } = compileSource(spec, SPEC_FILE);
  expect(diagnostics.every((d) => d.file === SPEC_FILE)).toBe(true);
  return diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
}

/** The IR of a spec that must check without errors. */
export function irOf(spec: string): GanIR {
  const { ir, diagnostics } = compileSource(spec, SPEC_FILE);
  expect(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([]);
  if (!ir) throw new Error('a spec without diagnostics checked to no IR');
  return ir;
}

/** A spec the checker must reject with exactly `expected`, and no IR. */
export type RejectedSpec = [name: string, spec: string, expected: string[]];

export function itRejects(cases: RejectedSpec[]): void {
  it.each(cases)('rejects: %s', (_name, spec, expected) => {
    expect(messagesOf(spec)).toEqual(expected);
    expect(compileSource(spec, SPEC_FILE).ir).toBeUndefined();
  });
}

// ir.schema.json is written by hand; its enums must list exactly the names the checker knows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TERMS, DATA_KINDS, D_INPUTS, LATENT_DISTS, LAYER_KINDS, LOSSES, NORMALIZATIONS, OPTIMIZERS, PADDINGS,
  REDUCE_FNS, UNARY_FNS,
} from '../../src/compiler/vocabulary.js';

const schema = JSON.parse(readFileSync(new URL('../../src/ir/ir.schema.json', import.meta.url), 'utf8'));
const sorted = (words: readonly string[]): string[] => [...words].sort();
const variants = (union: { oneOf: { properties: Record<string, { const?: string; enum?: string[] }> }[] }, key: string) =>
  union.oneOf.flatMap((v) => v.properties[key].enum ?? [v.properties[key].const as string]);
const exprVariant = (op: string) =>
  schema.definitions.expr.oneOf.find((v: { properties: { op: { const?: string } } }) => v.properties.op.const === op).properties;

describe('ir.schema.json and the checker agree on every name', () => {
  it.each([
    ['data kinds', schema.properties.data.properties.kind.enum, DATA_KINDS],
    ['latent distributions', schema.properties.latent.properties.dist.enum, LATENT_DISTS],
    ['normalizations', schema.properties.normalize.enum, NORMALIZATIONS],
    ['losses', schema.properties.loss.enum, LOSSES],
    ['layer kinds', variants(schema.definitions.layer, 'kind'), LAYER_KINDS],
    ['optimizers', variants(schema.definitions.optimizer, 'kind'), OPTIMIZERS],
    ['paddings', schema.definitions.layer.oneOf[1].properties.padding.enum, PADDINGS],
    ['D inputs', schema.definitions.dInput.enum, D_INPUTS],
    ['unary functions', exprVariant('call').fn.enum, UNARY_FNS],
    ['reductions', exprVariant('reduce').fn.enum, REDUCE_FNS],
    ['built-in terms', exprVariant('term').term.enum, BUILTIN_TERMS],
  ])('%s', (_what, inSchema: string[], inChecker: readonly string[]) => {
    expect(sorted(inSchema)).toEqual(sorted(inChecker));
  });
});

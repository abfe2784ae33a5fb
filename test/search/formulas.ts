// Test helper: a reg line → its checked regularizer, inside a small ring8 spec that defines `lambda`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Regularizer } from '../../src/ir/ir.js';
import { checkSpecText } from '../../src/search/check-spec.js';
import { replaceRegLines } from '../../src/search/spec-text.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const GND_SPEC = join(FIXTURES, 'ring8-gnd.gan');
export const RING8_SPEC = join(FIXTURES, 'ring8-r1.gan');

const base = readFileSync(GND_SPEC, 'utf8');

export function regOf(regLine: string): Regularizer {
  const text = replaceRegLines(base, GND_SPEC, 0, regLine);
  return checkSpecText(text, GND_SPEC).regularizers[0];
}

// Parsers for numeric command-line options: a bad value is a UserError naming the option.
import { parseMemorySize } from '../compiler/resources.js';
import { UserError } from '../errors.js';

function integerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new UserError(`${name}: expected an integer ≥ ${min}, got '${value}'`);
    }
    if (n > max) throw new UserError(`${name}: at most ${max}, got ${n} (docs/language.md, "Limits")`);
    return n;
  };
}

export const positiveInteger = (name: string) => integerOption(name, 1);
export const nonNegativeInteger = (name: string) => integerOption(name, 0);
/** A count with a documented maximum, e.g. `sample --n` (LIMITS in compiler/resources.ts). */
export const boundedInteger = (name: string, max: number) => integerOption(name, 1, max);

/** `--memory-budget 16G`: bytes, with an optional K, M, G, T or P (powers of 1024). */
export function memorySize(name: string): (value: string) => number {
  return (value) => {
    const bytes = parseMemorySize(value);
    if (bytes === undefined) throw new UserError(`${name}: expected a size such as 16G, 512M or 1000000000, got '${value}'`);
    return bytes;
  };
}

/** The help text of --memory-budget, the same for every command that checks a spec. */
export const MEMORY_BUDGET_HELP = 'memory one training step may need by the checker\'s estimate (default 8G; docs/language.md, "Limits")';

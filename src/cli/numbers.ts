// Parsers for numeric command-line options: a bad value is a UserError naming the option.
import { UserError } from '../errors.js';

function integerOption(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new UserError(`${name}: expected an integer ≥ ${min}, got '${value}'`);
    }
    return n;
  };
}

export const positiveInteger = (name: string) => integerOption(name, 1);
export const nonNegativeInteger = (name: string) => integerOption(name, 0);

// `--set` grids: each --set is a spec override (`optimizer D adam lr 1e-4`, the form `ganc train --set`
// takes) in which `{a,b,...}` lists alternatives. A --set expands to the cross product of its brace
// groups, several --set options to the cross product of theirs, first option slowest. `;` separates
// overrides applied together, so one alternative can change several statements at once:
//   --set "{optimizer D adam lr 1e-4; train ndis 5,optimizer D adam lr 1e-3; train ndis 1}"
// This file only writes the override texts; applying and checking them is the compiler's (overrides.ts).
import { CompareError } from './compare-error.js';

/** More variants than this per spec is a typo in a grid, not an experiment. */
export const MAX_SET_COMBINATIONS = 256;

export interface SetCombination {
  /** Override texts in the order given, each `KEY VALUE`. */
  overrides: string[];
}

/** One --set: the texts its braces expand to, each split at ';' into overrides. */
export function expandOne(set: string): string[][] {
  const parts: string[][] = [];
  let literal = '';
  for (let i = 0; i < set.length; i++) {
    const c = set[i];
    if (c === '}') throw new CompareError(`--set "${set}": '}' at character ${i + 1} closes no '{'`);
    if (c !== '{') {
      literal += c;
      continue;
    }
    const end = set.indexOf('}', i + 1);
    if (end < 0) throw new CompareError(`--set "${set}": '{' at character ${i + 1} is not closed`);
    const body = set.slice(i + 1, end);
    if (body.includes('{')) throw new CompareError(`--set "${set}": braces inside braces; list the alternatives in one group, or give another --set`);
    const alternatives = body.split(',').map((a) => a.trim());
    if (alternatives.some((a) => a === '')) throw new CompareError(`--set "${set}": an empty alternative in {${body}}`);
    parts.push([literal], alternatives);
    literal = '';
    i = end;
  }
  parts.push([literal]);
  const texts = parts.reduce<string[]>((acc, options) => acc.flatMap((prefix) => options.map((o) => prefix + o)), ['']);
  return texts.map((text) => {
    const overrides = text.split(';').map((o) => o.trim().replace(/\s+/g, ' ')).filter((o) => o !== '');
    if (overrides.length === 0) throw new CompareError(`--set "${set}": expands to an empty override`);
    return overrides;
  });
}

/** Every combination of the --set options (one empty combination when there are none). */
export function expandSets(sets: readonly string[]): SetCombination[] {
  let combos: string[][] = [[]];
  for (const set of sets) {
    const expanded = expandOne(set);
    if (combos.length * expanded.length > MAX_SET_COMBINATIONS) {
      throw new CompareError(`--set: ${combos.length * expanded.length} combinations; at most ${MAX_SET_COMBINATIONS} per spec`);
    }
    combos = combos.flatMap((before) => expanded.map((overrides) => [...before, ...overrides]));
  }
  return combos.map((overrides) => ({ overrides }));
}

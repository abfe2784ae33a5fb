// "Did you mean ...?" for unknown names: the closest known name within a small edit distance.

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * Short names differ in one letter at most (sn/gn); longer ones may have two typos (hinj → hinge).
 * `maxDistance` narrows that where a wrong guess would mislead (a layer name is not a misspelt `reg`).
 */
export function closestName(name: string, known: readonly string[], maxDistance = Infinity): string | undefined {
  const lower = name.toLowerCase();
  const exactButCase = known.find((k) => k.toLowerCase() === lower);
  if (exactButCase) return exactButCase;
  const limit = Math.min(maxDistance, name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** `unknown layer 'convv' (did you mean 'conv'?)`, or the list of what is known when nothing is close. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known);
  if (suggestion) return `unknown ${what} '${name}' (did you mean '${suggestion}'?)`;
  return `unknown ${what} '${name}': expected ${oneOf(known)}`;
}

/** `a, b or c` */
export function oneOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

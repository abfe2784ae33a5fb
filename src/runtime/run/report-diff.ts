// A line diff for the comparison page's spec differences: the longest common subsequence of lines, so
// unchanged lines line up and only what differs is marked. Specs are short (tens of lines); past
// MAX_DIFF_LINES the quadratic table is not built and the texts are shown as removed then added.

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export const MAX_DIFF_LINES = 2000;

/** `before` → `after`, line by line, in order; removed lines come before the added ones that replace them. */
export function diffLines(before: string[], after: string[]): DiffLine[] {
  if (before.length > MAX_DIFF_LINES || after.length > MAX_DIFF_LINES) {
    return [...before.map((text) => ({ kind: 'removed' as const, text })), ...after.map((text) => ({ kind: 'added' as const, text }))];
  }
  const n = before.length;
  const m = after.length;
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: 'same', text: before[i] });
      i++;
      j++;
    } else if (i < n && (j === m || common[i + 1][j] >= common[i][j + 1])) {
      out.push({ kind: 'removed', text: before[i++] });
    } else {
      out.push({ kind: 'added', text: after[j++] });
    }
  }
  return out;
}

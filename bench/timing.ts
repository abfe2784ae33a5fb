// Summaries of per-iteration times shared by the ganc and PyTorch sides.
export interface Timing {
  median: number;
  best: number;
  /** Every timed iteration, in order, milliseconds. */
  all: number[];
}

export function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, best: sorted[0], all: times };
}

export const median = (values: number[]): number => summarize(values).median;

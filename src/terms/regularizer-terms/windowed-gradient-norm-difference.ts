import type { WindowedTerm } from '../term.js';

export const R_t = {
  kind: 'windowed',
  name: 'R_t',
  averages: 'R',
  definition: 'mean of R over the last `window` iterations (only the current R carries gradient)',
  source: 'Wu, Xu, Zhang 2023, eq. (3) (seed 000): window 2',
  gradInputs: ['real', 'fake'],
  dInputs: [],
  uses: ['R'],
  nonNegative: false,
  aliases: ['rt', 'gndt', 'windowedgnd', 'gndwindow'],
} as const satisfies WindowedTerm;

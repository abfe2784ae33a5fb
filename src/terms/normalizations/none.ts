import type { NormalizationDefinition } from './normalization.js';

export const none = {
  name: 'none',
  definition: 'D as written',
  source: '',
  spectral: false,
} as const satisfies NormalizationDefinition;

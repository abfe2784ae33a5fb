// The registry of D's normalizations: one file per method (or family); adding one is a file and a line here.
import { gn, pgn } from './gradient-normalization.js';
import { none } from './none.js';
import type { NormalizationDefinition } from './normalization.js';
import { sn } from './spectral-normalization.js';

const DEFINITIONS = [none, sn, gn, pgn] as const;

export type Normalization = (typeof DEFINITIONS)[number]['name'];
export type { NormalizationDefinition } from './normalization.js';
export const NORMALIZATION_NAMES: readonly Normalization[] = DEFINITIONS.map((n) => n.name);
const BY_NAME = new Map<string, NormalizationDefinition>(DEFINITIONS.map((n) => [n.name, n]));
export const normalizationDefinition = (name: Normalization): NormalizationDefinition => BY_NAME.get(name)!;

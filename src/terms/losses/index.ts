// The registry of adversarial losses: one file per loss (or family); adding one is a file and a line here.
import { bce, nonsaturating } from './cross-entropy.js';
import { hinge } from './hinge.js';
import { lsgan } from './least-squares.js';
import type { AdversarialLoss } from './loss.js';
import { wasserstein } from './wasserstein.js';

const DEFINITIONS = [bce, nonsaturating, hinge, wasserstein, lsgan] as const;

export type LossKind = (typeof DEFINITIONS)[number]['name'];
export type { AdversarialLoss } from './loss.js';
export const LOSS_NAMES: readonly LossKind[] = DEFINITIONS.map((l) => l.name);
const BY_NAME = new Map<string, AdversarialLoss>(DEFINITIONS.map((l) => [l.name, l]));
export const lossDefinition = (name: LossKind): AdversarialLoss => BY_NAME.get(name)!;

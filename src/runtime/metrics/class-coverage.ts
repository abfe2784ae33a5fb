// Class coverage of generated digits: the share of the 10 classes that the LeNet classifier assigns to at
// least 1/5 of the samples a class-balanced generator would give it (≥ 0.2 · n / 10), the same rule as
// mode coverage on the mixtures. 1 = every digit appears in fair number; 0.1 = collapse onto one digit.
import { MNIST_CLASSES } from '../data/mnist.js';
import { COVERED_SHARE_OF_EXPECTED } from './modes.js';

export function classCoverage(classes: Uint8Array): number {
  const counts = new Array<number>(MNIST_CLASSES).fill(0);
  for (const digit of classes) counts[digit]++;
  const needed = (COVERED_SHARE_OF_EXPECTED * classes.length) / MNIST_CLASSES;
  return counts.filter((count) => count > 0 && count >= needed).length / MNIST_CLASSES;
}

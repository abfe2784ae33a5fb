// Class match of a class-conditional generator on MNIST: the share of generated digits that the LeNet
// classifier labels as the class they were asked for. 1 = every digit is the one asked for; 1/K (0.1) is
// what a G that ignores its label scores.
export function classMatch(classified: Uint8Array, requested: Int32Array): number {
  if (classified.length !== requested.length || classified.length === 0) {
    throw new Error(`internal: class_match of ${classified.length} classified samples against ${requested.length} requested labels`);
  }
  let matches = 0;
  classified.forEach((digit, i) => { if (digit === requested[i]) matches++; });
  return matches / classified.length;
}

// Writes ganc's fixed MNIST split (src/runtime/data/mnist.ts) to one .safetensors file, so that
// scripts/train_classifier.py trains on exactly the digits the TypeScript side calls "training".
// Usage (no TS runner is installed, so compile first):
//   npx tsc --ignoreConfig --outDir node_modules/.cache/ganc-scripts --rootDir . --module nodenext --target es2022 \
//     --types node --skipLibCheck scripts/export-mnist.ts
//   node node_modules/.cache/ganc-scripts/scripts/export-mnist.js /tmp/mnist-split.safetensors
import { writeFileSync } from 'node:fs';
import { loadMnistSplits } from '../src/runtime/data/mnist.js';
import { encodeSafetensors } from '../src/runtime/safetensors.js';

const out = process.argv[2];
if (!out) throw new Error('usage: export-mnist.js OUT.safetensors');
const { train, heldOut } = loadMnistSplits();
writeFileSync(out, encodeSafetensors({
  train_images: { shape: [train.count, 28, 28, 1], data: train.images },
  train_labels: { shape: [train.count], data: Float32Array.from(train.labels) },
  held_out_images: { shape: [heldOut.count, 28, 28, 1], data: heldOut.images },
  held_out_labels: { shape: [heldOut.count], data: Float32Array.from(heldOut.labels) },
}));
console.log(`wrote ${train.count} training and ${heldOut.count} held-out digits to ${out}`);

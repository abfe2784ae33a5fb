// Per-call cost of the native addon's entry points on tiny inputs, where argument handling dominates:
//   node scripts/native-call-overhead.mjs [path/to/ganc_native.node] [--calls 100000] [--rounds 7]
// Prints the median and best ns per call over the rounds (the cores are shared, so the best says most).
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const path = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const addonPath = path ? resolve(path) : join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'build', 'Release', 'ganc_native.node');
const native = createRequire(import.meta.url)(addonPath);
const CALLS = option('--calls', 1e5);
const ROUNDS = option('--rounds', 7);

const x = new Float32Array(16).fill(0.5);
const out = new Float32Array(16);
const shape = Int32Array.of(4, 4);
const row = Int32Array.of(4);
const cases = {
  'unary(Relu, 16)': () => native.unary(10, x, out, 0),
  'binary(Add, 4x4 + 4)': () => native.binary(0, x, shape, x.subarray(0, 4), row, out, shape),
  'gemm(4x4x4)': () => native.gemm(false, false, 4, 4, 4, x, x, out, 1, 1, 1),
};

for (const [name, call] of Object.entries(cases)) {
  const perCall = [];
  for (let round = 0; round < ROUNDS; ++round) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; ++i) call();
    perCall.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  perCall.sort((a, b) => a - b);
  console.log(`${name.padEnd(24)} median ${perCall[ROUNDS >> 1].toFixed(1)} ns/call, best ${perCall[0].toFixed(1)} ns/call`);
}

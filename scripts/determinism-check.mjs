#!/usr/bin/env node
// Same spec, seed, backend and thread count must give bit-identical runs. This trains a spec twice
// (or --runs N times) from scratch and compares the runs: every metrics.jsonl entry with its timing
// fields (step_ms, time, ..._ms) left out, and every checkpoint tensor byte for byte. Exit code 0 when
// all runs match the first, 1 when any differs (the first differences are printed), 2 on a failed run.
//   node scripts/determinism-check.mjs [--spec specs/sngan.gan] [--steps 10] [--runs 2] [--threads N]
//                                      [--backend ganc] [--out /tmp/ganc-determinism] [--parallel] [--build]
// --threads sets GANC_THREADS for every run (default: unset, ganc's default thread count).
// --parallel starts the runs at the same time: the cores are then oversubscribed, so the threads of
//   each run are scheduled differently, which shakes out any reduction order that follows timing.
// --build runs `npm run build` first (bin/ganc.js runs the compiled dist/; also done when dist is missing).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const spec = option('--spec', 'specs/sngan.gan');
const steps = option('--steps', '10');
const runs = Number(option('--runs', '2'));
const threads = option('--threads', undefined);
const backend = option('--backend', 'ganc');
const out = resolve(option('--out', '/tmp/ganc-determinism'));
const parallel = args.includes('--parallel');

if (args.includes('--build') || !existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) console.warn('determinism-check: npm run build reported errors; running what dist/ holds');
}

/** Trains once into out/run-<i>; resolves to the run directory. */
function train(i) {
  const dir = join(out, `run-${i}`);
  rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, CI: '1', ...(threads ? { GANC_THREADS: threads } : {}) };
  const command = ['bin/ganc.js', 'train', spec, '--steps', steps, '--backend', backend, '--out', dir];
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, command, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const run = /^run: (.+)$/m.exec(stdout)?.[1];
      if (code !== 0 || !run) reject(new Error(`run ${i} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      else resolveRun(run.trim());
    });
  });
}

/** A metrics entry without the fields that measure time, which differ between identical runs. */
function withoutTiming(value) {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'time' && !/_ms$/.test(key))
      .map(([key, v]) => [key, withoutTiming(v)]),
  );
}

/** The first path at which two JSON values differ, with both values, or undefined. */
function firstDifference(a, b, path = '') {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${path || '.'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

function compareMetrics(runA, runB) {
  const read = (run) => readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => withoutTiming(JSON.parse(line)));
  const [a, b] = [read(runA), read(runB)];
  if (a.length !== b.length) return [`metrics.jsonl: ${a.length} vs ${b.length} entries`];
  return a.flatMap((entry, i) => {
    const found = firstDifference(entry, b[i]);
    return found ? [`metrics.jsonl entry ${i} (step ${entry.step}) ${found}`] : [];
  });
}

/** safetensors: 8-byte little-endian header length, JSON header, then the tensors' bytes. */
function readSafetensors(file) {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = bytes.subarray(8 + headerLength);
  const { __metadata__: metadata = {}, ...entries } = header;
  const tensors = new Map(
    Object.entries(entries).map(([name, t]) => [name, { dtype: t.dtype, shape: t.shape, bytes: data.subarray(t.data_offsets[0], t.data_offsets[1]) }]),
  );
  return { metadata, tensors };
}

/** How two float32 tensors differ: element count and largest absolute difference. */
function floatDifference(a, b) {
  const [x, y] = [a, b].map((buf) => new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
  let count = 0;
  let largest = 0;
  for (let i = 0; i < x.length; i++) {
    if (Object.is(x[i], y[i])) continue;
    count++;
    largest = Math.max(largest, Math.abs(x[i] - y[i]));
  }
  return `${count} of ${x.length} elements differ, largest by ${largest.toExponential(2)}`;
}

function compareCheckpoints(runA, runB) {
  const list = (run) => readdirSync(join(run, 'checkpoints')).filter((f) => f.endsWith('.safetensors')).sort();
  const [filesA, filesB] = [list(runA), list(runB)];
  if (filesA.join() !== filesB.join()) return [`checkpoints: [${filesA}] vs [${filesB}]`];
  if (filesA.length === 0) return ['checkpoints: none written (nothing to compare)'];
  return filesA.flatMap((file) => {
    const [a, b] = [runA, runB].map((run) => readSafetensors(join(run, 'checkpoints', file)));
    const problems = [];
    const metadata = firstDifference(a.metadata, b.metadata);
    if (metadata) problems.push(`${file} metadata ${metadata}`);
    for (const name of new Set([...a.tensors.keys(), ...b.tensors.keys()])) {
      const [ta, tb] = [a.tensors.get(name), b.tensors.get(name)];
      if (!ta || !tb) problems.push(`${file} ${name}: only in run ${ta ? 'A' : 'B'}`);
      else if (ta.dtype !== tb.dtype || ta.shape.join() !== tb.shape.join()) problems.push(`${file} ${name}: ${ta.dtype}[${ta.shape}] vs ${tb.dtype}[${tb.shape}]`);
      else if (!ta.bytes.equals(tb.bytes)) problems.push(`${file} ${name}: ${ta.dtype === 'F32' ? floatDifference(ta.bytes, tb.bytes) : 'bytes differ'}`);
    }
    return problems;
  });
}

const threadNote = threads ? `GANC_THREADS=${threads}` : 'default threads';
console.log(`determinism-check: ${spec}, ${steps} steps, backend ${backend}, ${threadNote}, ${runs} runs${parallel ? ' at once' : ''}`);
let dirs;
try {
  const indices = Array.from({ length: runs }, (_, i) => i);
  dirs = parallel ? await Promise.all(indices.map(train)) : [];
  if (!parallel) for (const i of indices) dirs.push(await train(i));
} catch (err) {
  console.error(`determinism-check: ${err.message}`);
  process.exit(2);
}
let identical = true;
for (let i = 1; i < dirs.length; i++) {
  const problems = [...compareMetrics(dirs[0], dirs[i]), ...compareCheckpoints(dirs[0], dirs[i])];
  const tensors = readdirSync(join(dirs[0], 'checkpoints'))
    .filter((f) => f.endsWith('.safetensors'))
    .reduce((n, f) => n + readSafetensors(join(dirs[0], 'checkpoints', f)).tensors.size, 0);
  if (problems.length === 0) {
    console.log(`run ${i} = run 0: metrics.jsonl (timing fields aside) and ${tensors} checkpoint tensors bit-identical`);
    continue;
  }
  identical = false;
  console.log(`run ${i} differs from run 0 (${problems.length} differences; first ones):`);
  for (const problem of problems.slice(0, 12)) console.log(`  ${problem}`);
}
console.log(identical ? 'determinism-check: identical' : 'determinism-check: DIFFERENT');
process.exit(identical ? 0 : 1);

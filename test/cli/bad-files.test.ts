// A catalogue of damaged, edited and hostile files, each handed to every command that reads it: a run's
// checkpoint (truncated, flipped, edited and re-summed, wrong shapes, missing tensors, non-finite values,
// a device, a FIFO), its other files, probe's parameter and batch files, and spec files. Each must end
// with exit code 1 and one line on stderr naming the file, leave the run directory exactly as it was
// (and write no output file), and never block: /dev/zero and FIFOs are refused, not read.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCheckpointFile } from '../../src/runtime/run/checkpoint.js';
import { decodeSafetensors, encodeSafetensors, type TensorMap } from '../../src/runtime/safetensors.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const STACK_TRACE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .*:\d+:\d+$/m;

/** ring8 with EMA, Adam on both networks and two regularizers, one windowed: every kind of state a checkpoint holds. */
const SPEC = ring8Spec({
  name: 'bad_files', batch: 16, width: 16, lines: ['reg 1 * r1', 'reg 0.1 * R_t window 3'],
  train: 'steps 4 seed 1 log 1 checkpoint 2 sample 100 eval 100 ema 0.9',
});

let scratch: string;
let goodRun: string;
let specFile: string;
let paramsFile: string;
let batchFile: string;
const CHECKPOINT = join('checkpoints', 'step-000004.safetensors');

/** A file tree as names, kinds and contents (links as their targets, never followed): what "unchanged" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, rel: string) => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) out[rel] = `link ${readlinkSync(path)}`;
    else if (stats.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), join(rel, name));
    else if (stats.isFile()) out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
    else out[rel] = 'special';
  };
  walk(dir, '.');
  return out;
}

// --- Checkpoint surgery: decode the good file, change it, write it back (re-summed unless said otherwise) ---

interface Contents { step: string; state: Record<string, unknown>; tensors: TensorMap }

function readContents(file: string): Contents {
  const { metadata, tensors } = decodeSafetensors(readFileSync(file));
  return { step: metadata.step, state: JSON.parse(metadata.state), tensors };
}

/** Edits the checkpoint's contents and writes it with a checksum that matches, as someone editing it on purpose would. */
const resummed = (edit: (c: Contents) => void) => (run: string): void => {
  const file = join(run, CHECKPOINT);
  const c = readContents(file);
  edit(c);
  writeFileSync(file, encodeCheckpointFile(c.step, JSON.stringify(c.state), c.tensors));
};

const onBytes = (edit: (bytes: Buffer) => Buffer) => (run: string): void => {
  const file = join(run, CHECKPOINT);
  writeFileSync(file, edit(readFileSync(file)));
};

/** The file with its header replaced by `header` (JSON text), the data section kept. */
function withHeader(bytes: Buffer, header: string): Buffer {
  const length = Number(bytes.readBigUInt64LE(0));
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
  return Buffer.concat([head, Buffer.from(header), bytes.subarray(8 + length)]);
}

const headerOf = (bytes: Buffer): Record<string, unknown> => JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());

const replaceBy = (target: string, makeThing: (path: string) => void) => (run: string): void => {
  const file = join(run, target);
  rmSync(file, { force: true });
  makeThing(file);
};
const linkTo = (device: string) => (path: string) => symlinkSync(device, path);
const fifo = (path: string) => execFileSync('mkfifo', [path]);
const folder = (path: string) => mkdirSync(path);

const float = (n: number, value: number) => new Float32Array(n).fill(value);

interface RunCase {
  damage: (run: string) => void;
  /** What stderr's one line must say (after the run directory's path). */
  says: RegExp;
  /** The commands to try; default: sample, eval and train --resume. */
  commands?: ('sample' | 'eval' | 'resume')[];
}

const RUN_CASES: Record<string, RunCase> = {
  'truncated to half': { damage: onBytes((b) => b.subarray(0, b.length >> 1)), says: /header length \d+ exceeds the file|tensors take \d+ bytes but the file has/ },
  'truncated to 5 bytes': { damage: onBytes((b) => b.subarray(0, 5)), says: /file too short to be safetensors/ },
  'empty': { damage: onBytes(() => Buffer.alloc(0)), says: /file too short to be safetensors/ },
  'a flipped bit in the tensor data': { damage: onBytes((b) => { b[b.length - 3] ^= 0x04; return b; }), says: /corrupt \(tensors or state do not match its checksum\)/ },
  'the state edited without re-summing': {
    damage: onBytes((b) => withHeader(b, JSON.stringify({ ...headerOf(b), __metadata__: { ...(headerOf(b).__metadata__ as object), state: '{"step":-5}' } }))),
    says: /corrupt \(tensors or state do not match its checksum\)/,
  },
  'a header of null': { damage: onBytes((b) => withHeader(b, 'null')), says: /header is not a JSON object/ },
  '__metadata__ null': { damage: onBytes((b) => withHeader(b, JSON.stringify({ ...headerOf(b), __metadata__: null }))), says: /__metadata__ must be an object of strings/ },
  'a header length past the file': { damage: onBytes((b) => { b.writeBigUInt64LE(2n ** 63n, 0); return b; }), says: /header length 9223372036854775808 exceeds the file/ },
  'negative dimensions': {
    damage: onBytes((b) => {
      const h = headerOf(b) as Record<string, { shape: number[] }>;
      h['param/D.0.dense.kernel'].shape = [-2, -16];
      return withHeader(b, JSON.stringify(h));
    }),
    says: /tensor 'param\/D\.0\.dense\.kernel' has shape \[-2,-16\]; dimensions must be whole numbers ≥ 0/,
  },
  'state step -5, re-summed': { damage: resummed((c) => { c.state.step = -5; }), says: /state field 'step' is -5, expected a whole number ≥ 0/ },
  'state step "abc", re-summed': { damage: resummed((c) => { c.state.step = 'abc'; }), says: /state field 'step' is "abc"/ },
  'file step -5, re-summed': { damage: resummed((c) => { c.step = '-5'; }), says: /corrupt \(step '-5' is not a whole number\)/ },
  'state {}, re-summed': { damage: resummed((c) => { c.state = {}; }), says: /state field 'step' is undefined/ },
  'an all-zero RNG state': { damage: resummed((c) => { (c.state.rng as { data: number[] }).data = [0, 0, 0, 0]; }), says: /state field 'rng\.data' is \[0,0,0,0\], expected 4 unsigned 32-bit integers, not all 0/ },
  'an RNG state of 3 numbers': { damage: resummed((c) => { (c.state.rng as { noise: number[] }).noise = [1, 2, 3]; }), says: /state field 'rng\.noise'/ },
  'an RNG word of 2^32': { damage: resummed((c) => { (c.state.rng as { noise: number[] }).noise[0] = 2 ** 32; }), says: /state field 'rng\.noise'/ },
  'a window too long for its reg': { damage: resummed((c) => { (c.state.windows as number[][])[1] = [1, 2, 3]; }), says: /state field 'windows\[1\]' is \[1,2,3\], expected a list of at most 2 finite numbers/ },
  'a window list missing': { damage: resummed((c) => { c.state.windows = [[]]; }), says: /state field 'windows' is \[\[\]\], expected a list of 2 lists/ },
  'G optimizer steps not the step': { damage: resummed((c) => { (c.state.optimizerSteps as { G: number }).G = 1; }), says: /state field 'optimizerSteps\.G' is 1, expected 4/ },
  'a missing EMA tensor': { damage: resummed((c) => { delete c.tensors['ema/G.0.dense.kernel']; }), says: /tensor 'ema\/G\.0\.dense\.kernel' is missing/ },
  'a missing optimizer slot': { damage: resummed((c) => { delete c.tensors['opt.D/D.0.dense.kernel/v']; }), says: /tensor 'opt\.D\/D\.0\.dense\.kernel\/v' is missing/ },
  'a transposed optimizer slot': {
    damage: resummed((c) => { c.tensors['opt.G/G.2.dense.kernel/m'].shape = [2, 16]; }),
    says: /tensor 'opt\.G\/G\.2\.dense\.kernel\/m' has shape \[2, 16\], the spec needs \[16, 2\]/,
  },
  'a bias of shape []': { damage: resummed((c) => { c.tensors['param/D.2.dense.bias'] = { shape: [], data: float(1, 0) }; }), says: /tensor 'param\/D\.2\.dense\.bias' has shape \[\], the spec needs \[1\]/ },
  'a tensor of another spec': { damage: resummed((c) => { c.tensors['param/D.9.conv.kernel'] = { shape: [1], data: float(1, 0) }; }), says: /tensor 'param\/D\.9\.conv\.kernel' is not part of this spec's training state/ },
  'an all-Inf EMA': {
    damage: resummed((c) => { for (const name of Object.keys(c.tensors).filter((n) => n.startsWith('ema/'))) c.tensors[name].data.fill(Infinity); }),
    says: /tensor 'ema\/G\.0\.dense\.bias' holds Infinity; a checkpoint never does/,
  },
  'a NaN weight': { damage: resummed((c) => { c.tensors['param/G.2.dense.kernel'].data[3] = NaN; }), says: /tensor 'param\/G\.2\.dense\.kernel' holds NaN/ },
  'the checkpoint is /dev/zero': { damage: replaceBy(CHECKPOINT, linkTo('/dev/zero')), says: /cannot read the checkpoint: it is a character device, not a regular file/ },
  'the checkpoint is /dev/urandom': { damage: replaceBy(CHECKPOINT, linkTo('/dev/urandom')), says: /cannot read the checkpoint: it is a character device, not a regular file/ },
  'the checkpoint is a FIFO': { damage: replaceBy(CHECKPOINT, fifo), says: /cannot read the checkpoint: it is a named pipe, not a regular file/ },
  'the checkpoint is a folder': { damage: replaceBy(CHECKPOINT, folder), says: /cannot read the checkpoint: it is a folder, not a regular file/ },
  'the checkpoint is gone': { damage: replaceBy(CHECKPOINT, () => undefined), says: /step-000004\.safetensors: missing \(named by .*latest\)/ },
  'latest is /dev/zero': { damage: replaceBy('checkpoints/latest', linkTo('/dev/zero')), says: /cannot read the checkpoint pointer: it is a character device/ },
  'latest names something else': { damage: (run) => writeFileSync(join(run, 'checkpoints', 'latest'), '../../etc/passwd\n'), says: /latest: does not name a checkpoint file/ },
  'ir.json is /dev/zero': { damage: replaceBy('ir.json', linkTo('/dev/zero')), says: /cannot read the IR: it is a character device/ },
  'ir.json is null': { damage: (run) => writeFileSync(join(run, 'ir.json'), 'null'), says: /ir\.json: not a valid ganc IR/ },
  'no checkpoint at all': { damage: (run) => rmSync(join(run, 'checkpoints'), { recursive: true }), says: /checkpoints: no checkpoint found/ },
  'metrics.jsonl with a garbage middle line': {
    damage: (run) => {
      const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8').split('\n');
      lines[1] = '{"step": 2, garbage';
      writeFileSync(join(run, 'metrics.jsonl'), lines.join('\n'));
    },
    says: /metrics\.jsonl:2: not a JSON metrics entry/,
    commands: ['resume'],
  },
  'metrics.jsonl is /dev/zero': { damage: replaceBy('metrics.jsonl', linkTo('/dev/zero')), says: /cannot read the metrics log: it is a character device/, commands: ['resume'] },
};

/** Where `sample` is asked to write for a run: beside the run, so one case's result cannot leak into another's. */
const gridFor = (run: string): string => `${run}.grid.png`;

function commandFor(kind: 'sample' | 'eval' | 'resume', run: string): string[] {
  switch (kind) {
    case 'sample': return ['sample', run, '--out', gridFor(run), '--backend', 'cpu'];
    case 'eval': return ['eval', run, '--n', '16', '--backend', 'cpu'];
    case 'resume': return ['train', '--resume', run, '--steps', '6', '--backend', 'cpu'];
  }
}

/** Exit 1, one line on stderr matching `says`, no stack trace, nothing on stdout. */
async function expectOneLineRefusal(args: string[], says: RegExp): Promise<string> {
  const r = await runMain(...args);
  expect(r.stderr, args.join(' ')).not.toMatch(STACK_TRACE);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines.at(-1), 'stderr ends with a newline').toBe('');
  expect(lines.slice(0, -1), r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
  expect(lines[0]).not.toMatch(/internal error/);
  return lines[0];
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-bad-files-'));
  specFile = join(scratch, 'bad_files.gan');
  writeFileSync(specFile, SPEC);
  const r = await runMain('train', specFile, '--out', join(scratch, 'runs'), '--backend', 'cpu');
  expect(r.status, r.stderr).toBe(0);
  goodRun = /^run: (.+)$/m.exec(r.stdout)![1];
  expect(existsSync(join(goodRun, CHECKPOINT))).toBe(true);

  // probe's inputs from the same run: its parameters, and a batch of 16 samples.
  const params: TensorMap = {};
  for (const [name, t] of Object.entries(readContents(join(goodRun, CHECKPOINT)).tensors)) if (name.startsWith('param/')) params[name.slice(6)] = t;
  paramsFile = join(scratch, 'params.safetensors');
  writeFileSync(paramsFile, encodeSafetensors(params));
  batchFile = join(scratch, 'batch.safetensors');
  writeFileSync(batchFile, encodeSafetensors(probeBatch(16)));
}, PROCESS_TEST_TIMEOUT_MS);

function probeBatch(n: number): TensorMap {
  const values = (count: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i));
  return { real: { shape: [n, 2], data: values(2 * n) }, z_d: { shape: [n, 2], data: values(2 * n) }, z_g: { shape: [n, 2], data: values(2 * n) } };
}

describe('a damaged run: every command that reads it refuses in one line and changes nothing', () => {
  it('the undamaged run works with each command (the catalogue starts from a good run)', async () => {
    for (const kind of ['sample', 'eval'] as const) {
      const r = await runMain(...commandFor(kind, goodRun));
      expect(r.status, r.stderr).toBe(0);
    }
    expect(existsSync(gridFor(goodRun))).toBe(true);
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each(Object.entries(RUN_CASES))('%s', async (name, c) => {
    const run = join(scratch, 'damaged', name.replace(/[^a-z0-9]+/gi, '-'));
    cpSync(goodRun, run, { recursive: true });
    c.damage(run);
    const before = snapshot(run);
    for (const kind of c.commands ?? ['sample', 'eval', 'resume'] as const) {
      const line = await expectOneLineRefusal(commandFor(kind, run), c.says);
      expect(line.startsWith(run), `${kind}: names the run's file: ${line}`).toBe(true);
      expect(snapshot(run), `${kind} left the run as it was`).toEqual(before);
      expect(existsSync(gridFor(run)), `${kind} wrote no samples`).toBe(false);
    }
  }, PROCESS_TEST_TIMEOUT_MS);
});

// --- probe's files ------------------------------------------------------------------------------------

const probeArgs = (params: string, batch: string) => ['probe', specFile, '--params', params, '--batch', batch, '--json', '--backend', 'cpu'];

/** A safetensors file as written by `make`, in the scratch folder. */
function probeFile(name: string, make: (path: string) => void): string {
  const path = join(scratch, 'probe', name);
  mkdirSync(join(scratch, 'probe'), { recursive: true });
  make(path);
  return path;
}

const headerFile = (header: string) => (path: string) => {
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
  writeFileSync(path, Buffer.concat([head, Buffer.from(header)]));
};

const PROBE_FILE_CASES: Record<string, { make: (path: string) => void; says: RegExp }> = {
  '/dev/zero': { make: linkTo('/dev/zero'), says: /cannot read the safetensors file: it is a character device, not a regular file/ },
  '/dev/urandom': { make: linkTo('/dev/urandom'), says: /cannot read the safetensors file: it is a character device, not a regular file/ },
  'a FIFO': { make: fifo, says: /cannot read the safetensors file: it is a named pipe/ },
  'a folder': { make: folder, says: /cannot read the safetensors file: it is a folder/ },
  'a missing file': { make: () => undefined, says: /cannot read the safetensors file: no such file or folder \(ENOENT\)/ },
  'three bytes': { make: (p) => writeFileSync(p, 'abc'), says: /file too short to be safetensors/ },
  'a header of null': { make: headerFile('null'), says: /header is not a JSON object/ },
  'a header of []': { make: headerFile('[]'), says: /header is not a JSON object/ },
  '__metadata__ null': { make: headerFile('{"__metadata__":null}'), says: /__metadata__ must be an object of strings/ },
  'a header length of 2^62': { make: (p) => { const b = Buffer.alloc(16); b.writeBigUInt64LE(2n ** 62n); writeFileSync(p, b); }, says: /header length \d+ exceeds the file/ },
  'a tensor named __proto__': { make: headerFile('{"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'), says: /a tensor may not be named '__proto__'/ },
  'overlapping tensors': {
    make: (p) => {
      const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
      const head = Buffer.alloc(8);
      head.writeBigUInt64LE(BigInt(header.length));
      writeFileSync(p, Buffer.concat([head, Buffer.from(header), Buffer.alloc(4)]));
    },
    says: /tensor 'b' starts at byte 0 of the data, expected 4 \(overlapping or gapped offsets\)/,
  },
};

describe("probe's parameter and batch files", () => {
  it('the good files probe (the cases below start from them)', async () => {
    const r = await runMain(...probeArgs(paramsFile, batchFile));
    expect(r.status, r.stderr).toBe(0);
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each(Object.entries(PROBE_FILE_CASES))('--params or --batch that is %s', async (name, c) => {
    const bad = probeFile(name.replace(/[^a-z0-9]+/gi, '-'), c.make);
    for (const args of [probeArgs(bad, batchFile), probeArgs(paramsFile, bad)]) {
      const line = await expectOneLineRefusal(args, c.says);
      expect(line.startsWith(bad)).toBe(true);
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each([
    ['a batch of 0 samples', { ...probeBatch(16), real: { shape: [0, 2], data: new Float32Array(0) } },
      /tensor 'real' has shape \[0, 2\]; the batch \(its first dimension\) must hold at least 1 sample/],
    ['z_d for another batch size', { ...probeBatch(16), z_d: { shape: [8, 2], data: new Float32Array(16) } },
      /tensor 'z_d' has shape \[8, 2\], expected \[16, 2\]/],
  ] as [string, TensorMap, RegExp][])('a batch file with %s', async (name, tensors, says) => {
    const bad = probeFile(name.replace(/[^a-z0-9]+/gi, '-'), (p) => writeFileSync(p, encodeSafetensors(tensors)));
    await expectOneLineRefusal(probeArgs(paramsFile, bad), says);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('dimensions written as strings (which printed as "[16,2], expected [16,2]") are refused as such', async () => {
    const bad = probeFile('string-dims', (p) => {
      const good = readFileSync(batchFile);
      const h = headerOf(good) as Record<string, { shape: unknown[] }>;
      h.real.shape = ['16', 2];
      writeFileSync(p, withHeader(good, JSON.stringify(h)));
    });
    await expectOneLineRefusal(probeArgs(paramsFile, bad), /tensor 'real' has shape \["16",2\]; dimensions must be whole numbers ≥ 0/);
  }, PROCESS_TEST_TIMEOUT_MS);
});

// --- spec files ---------------------------------------------------------------------------------------

describe('spec files that are not specs', () => {
  const SPEC_CASES: Record<string, { make: (path: string) => void; says: RegExp }> = {
    '/dev/zero': { make: linkTo('/dev/zero'), says: /cannot read the spec: it is a character device, not a regular file/ },
    'a FIFO': { make: fifo, says: /cannot read the spec: it is a named pipe, not a regular file/ },
    'a folder': { make: folder, says: /cannot read the spec: it is a folder, not a regular file/ },
    '5 MB of lets': {
      make: (p) => writeFileSync(p, `${SPEC}${Array.from({ length: 300_000 }, (_, i) => `let a${i} = ${i}`).join('\n')}\n`),
      says: /cannot read the spec: it is \d+(\.\d+)? MiB, more than the 128 KiB a spec may be/,
    },
  };

  it.each(Object.entries(SPEC_CASES))('%s', async (name, c) => {
    const bad = join(scratch, `spec-${name.replace(/[^a-z0-9]+/gi, '-')}.gan`);
    c.make(bad);
    const runs = join(scratch, `runs-${name.replace(/[^a-z0-9]+/gi, '-')}`);
    for (const args of [['train', bad, '--out', runs], ['compile', bad], probeArgs(paramsFile, batchFile).map((a) => (a === specFile ? bad : a))]) {
      const line = await expectOneLineRefusal(args, c.says);
      expect(line.startsWith(bad)).toBe(true);
    }
    expect(existsSync(runs), 'train made no run directory').toBe(false);
    // check reports every file's problem and then counts them: the problem, then the count.
    const r = await runMain('check', bad);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').slice(0, -1)).toEqual([expect.stringMatching(c.says), '1 error in 1 file']);
  }, PROCESS_TEST_TIMEOUT_MS);
});

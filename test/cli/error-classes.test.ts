// Every error class in src/ is either a UserError (the CLI prints its message on one line and exits 1)
// or a named internal error (exit 2): the classes are found by reading the sources, so a new one fails
// here until someone decides which it is. Each user error class is then raised through the CLI by a
// failing input a person could give it, and must come out as one line on stderr, exit code 1, no trace.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { encodeSafetensors } from '../../src/runtime/safetensors.js';
import { PROCESS_TEST_TIMEOUT_MS, runGancProcess } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const STACK_TRACE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .*:\d+:\d+$/m;

/** Error classes that are not the user's to fix, and why: the CLI reports them as internal errors. */
const INTERNAL_ERRORS: Record<string, string> = {
  DivergenceError: 'a training outcome, not a failure: runTraining catches it and returns it as `diverged` '
    + '(ganc train prints it and exits 1; a search records it as the trial\'s result)',
  IRValidationError: "an IR that fails ir.schema.json is ganc's bug; a run's damaged ir.json is reported as a RunDirError naming the file",
  MissingPiece: "the parser's own control flow, caught per statement after error recovery",
  TrialProcessExit: 'a trial process that died mid-trial: the search retries the trial, then records it as failed',
  VariantCheckError: 'a search variant that does not check is a bug in ganc search',
};

/** User error classes that no command-line input can raise, and why; they are checked by calling the code. */
const NOT_FROM_THE_CLI: Record<string, string> = {};

const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

interface DeclaredClass {
  name: string;
  /** Relative to src/. */
  file: string;
  base: string;
  exported: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

function declaredClasses(): DeclaredClass[] {
  const declaration = /^[ \t]*(export\s+)?(?:abstract\s+)?class\s+(\w+)(?:<[^>{]*>)?\s+extends\s+([\w.]+)/gm;
  return sourceFiles(SRC).flatMap((path) => [...readFileSync(path, 'utf8').matchAll(declaration)]
    .map((m) => ({ name: m[2], file: relative(SRC, path), base: m[3], exported: m[1] !== undefined })));
}

/** The classes whose chain of `extends` ends at a built-in error, each with that chain (nearest base first). */
function errorClasses(): { cls: DeclaredClass; chain: string[] }[] {
  const classes = declaredClasses();
  const byName = new Map(classes.map((c) => [c.name, c]));
  return classes.flatMap((cls) => {
    const chain = [cls.base];
    for (let base = byName.get(cls.base); base; base = byName.get(base.base)) chain.push(base.base);
    return BUILTIN_ERRORS.has(chain.at(-1)!) ? [{ cls, chain }] : [];
  });
}

const ERROR_CLASSES = errorClasses();
const USER_ERROR_CLASSES = ERROR_CLASSES.filter(({ cls, chain }) => cls.name === 'UserError' || chain.includes('UserError')).map(({ cls }) => cls);

describe('error classes', () => {
  it('finds the error classes in src/', () => {
    const names = ERROR_CLASSES.map(({ cls }) => cls.name);
    expect(names).toEqual(expect.arrayContaining(['UserError', 'MetricsLogError', 'DataError', 'SearchOptionError', ...Object.keys(INTERNAL_ERRORS)]));
    expect(names.length, 'two error classes share a name').toBe(new Set(names).size);
  });

  it('each is a UserError or a named internal error', () => {
    const undecided = ERROR_CLASSES
      .filter(({ cls }) => !USER_ERROR_CLASSES.includes(cls) && !(cls.name in INTERNAL_ERRORS))
      .map(({ cls }) => `${cls.file}: ${cls.name} extends ${cls.base}`);
    expect(undecided, 'extend UserError (src/errors.ts) if the user can fix it, else add it to INTERNAL_ERRORS with why').toEqual([]);
    const internalButUser = USER_ERROR_CLASSES.filter((cls) => cls.name in INTERNAL_ERRORS).map((cls) => cls.name);
    expect(internalButUser).toEqual([]);
  });

  it('the user error classes are UserErrors when loaded', async () => {
    for (const cls of USER_ERROR_CLASSES) {
      expect(cls.exported, `${cls.file}: ${cls.name} is not exported`).toBe(true);
      const loaded = (await import(pathToFileURL(join(SRC, cls.file)).href))[cls.name] as { prototype: object };
      expect(loaded.prototype instanceof UserError || (loaded as unknown) === UserError, `${cls.file}: ${cls.name}`).toBe(true);
    }
  });

  it('each user error class has a failing command-line input below', () => {
    const covered = [...Object.keys(CLI_CASES), ...Object.keys(NOT_FROM_THE_CLI)].sort();
    expect(covered).toEqual(USER_ERROR_CLASSES.map((cls) => cls.name).sort());
  });
});

// --- Failing inputs through the CLI -----------------------------------------------------------------

const TINY_RING8 = `gan tiny_ring8
data ring8 batch 64
latent normal 2
generator
  dense 32
  relu
  dense 2
discriminator
  dense 32
  lrelu 0.2
  dense 1
loss nonsaturating
let gamma = 1
reg gamma * r1
train steps 4 seed 3 log 1 checkpoint 2 sample 100 eval 100
`;

/** The tiny ring8 spec on 8×8 grey images from a folder. */
const folderSpec = (folder: string): string => TINY_RING8
  .replace('data ring8 batch 64', `data folder "${folder}" size 8 channels 1`)
  .replace('  dense 2\ndiscriminator\n', '  dense 64\n  reshape 8 8 1\ndiscriminator\n  flatten\n');

let scratch: string;
/** Names in a case's arguments that stand for files and folders made in beforeAll. */
const fixtures: Record<string, string> = {};

interface CliCase {
  args: string[];
  /** What stderr must hold (matched against it without its final newline). */
  stderr: RegExp;
  /** A child process (node + tsx), as a user runs ganc, rather than main() in this process. */
  spawned?: boolean;
  /** Environment of the spawned process. */
  env?: Record<string, string>;
}

const CLI_CASES: Record<string, CliCase> = {
  UserError: { args: ['train', 'no-such.gan'], stderr: /^no-such\.gan: cannot read: no such file$/ },
  SpecDiagnosticsError: { args: ['train', 'MISSPELT_LOSS_SPEC'], stderr: /^MISSPELT_LOSS_SPEC:12:6: unknown loss 'nonsaturatin' \(did you mean 'nonsaturating'\?\)$/ },
  BackendError: { args: ['sample', 'RING8_RUN', '--backend', 'nope'], stderr: /^unknown backend 'nope'; expected one of / },
  DataError: { args: ['train', 'MISSING_FOLDER_SPEC'], stderr: /^data folder "SCRATCH\/no-such-images" not found \(looked for SCRATCH\/no-such-images\)$/ },
  MetricError: { args: ['eval', 'FOLDER_RUN', '--n', '1'], stderr: /Fréchet distance needs at least 2 samples per set, got 1$/ },
  ProbeInputError: { args: ['probe', 'RING8_SPEC', '--params', 'UNKNOWN_TENSOR_FILE', '--batch', 'UNKNOWN_TENSOR_FILE', '--json'], stderr: /^UNKNOWN_TENSOR_FILE: tensor 'bogus' is not a parameter of tiny_ring8$/ },
  SafetensorsError: { args: ['probe', 'RING8_SPEC', '--params', 'GARBAGE_FILE', '--batch', 'GARBAGE_FILE', '--json'], stderr: /^GARBAGE_FILE: file too short to be safetensors$/ },
  CheckpointError: { args: ['sample', 'CORRUPT_CHECKPOINT_RUN', '--out', 'SCRATCH/grid.png'], stderr: /step-000004\.safetensors: corrupt \(tensors or state do not match its checksum\)$/ },
  FileError: { args: ['compile', 'SCRATCH'], stderr: /^SCRATCH: cannot read the spec: it is a folder, not a regular file$/ },
  RunLockError: { args: ['train', '--resume', 'LOCKED_RUN', '--steps', '8'], stderr: /^LOCKED_RUN: process \d+ is training this run \(lock file LOCKED_RUN\/lock\); wait for it to end, or remove the lock file if it is gone$/ },
  MetricsLogError: { args: ['train', '--resume', 'DAMAGED_METRICS_RUN', '--steps', '8'], stderr: /^DAMAGED_METRICS_RUN\/metrics\.jsonl:2: not a JSON metrics entry$/, spawned: true },
  RunDirError: { args: ['sample', 'SCRATCH'], stderr: /^SCRATCH: not a ganc run directory \(no ir\.json\)$/ },
  SampleGridError: { args: ['sample', 'RING8_RUN', '--out', 'SCRATCH/no-such-folder/grid.png'], stderr: /^SCRATCH\/no-such-folder\/grid\.png: cannot write the sample grid \(ENOENT\)$/ },
  WebgpuUnavailableError: { args: ['train', 'RING8_SPEC', '--backend', 'webgpu', '--out', 'SCRATCH/webgpu'], stderr: /^backend 'webgpu' found no GPU adapter: no Vulkan driver is installed or none sees a device \(.*\); use --backend ganc$/, spawned: true, env: { VK_ICD_FILENAMES: '/nonexistent/icd.json' } },
  QueueUrlError: { args: ['worker', '--queue', 'http://localhost:6379'], stderr: /^--queue wants redis:\/\/HOST:PORT\[\/DB\] or rediss:\/\/…, got 'http:\/\/localhost:6379'$/ },
  SearchLockError: { args: ['search', '--resume', 'LOCKED_SEARCH'], stderr: /^LOCKED_SEARCH: another ganc search is running on this directory \(pid \d+ on .+ since .+\)$/ },
  SearchOptionError: { args: ['search', 'RING8_SPEC', '--vary', 'fn,bogus', '--out', 'SCRATCH/search-a'], stderr: /^--vary: unknown 'bogus'; expected some of / },
  SearchDirError: { args: ['search', 'RING8_SPEC', '--out', 'SCRATCH'], stderr: /^SCRATCH: exists and is not empty \(use --resume SCRATCH to continue it\)$/ },
  SearchStateError: { args: ['search', '--resume', 'SCRATCH'], stderr: /^SCRATCH: not a search directory/ },
  ReportError: { args: ['report', 'SCRATCH/no-such-run'], stderr: /^SCRATCH\/no-such-run: no such run folder$/ },
  OverrideError: { args: ['train', 'RING8_SPEC', '--set', 'optimizer D lrr 1e-4'], stderr: /^--set 1 "optimizer D lrr 1e-4": 'lrr' is neither an optimizer \(adam, sgd or rmsprop\) nor an option \(did you mean 'lr'\?\)$/ },
  RegChoiceError: { args: ['search', 'RING8_SPEC', '--reg', '5', '--out', 'SCRATCH/search-b'], stderr: /^RING8_SPEC: has no reg statement number 5 \(it has 1\)$/ },
  CompareError: { args: ['compare', 'RING8_SPEC', '--fractions', '0,1', '--out', 'SCRATCH/compare-a'], stderr: /^--fractions: '0' is not a fraction in \(0, 1\]$/ },
  ExportError: { args: ['export', 'RING8_RUN', '--format', 'onnx', '--ema', '--out', 'SCRATCH/export'], stderr: /^RING8_RUN: the run keeps no EMA weights \(its spec trains with ema 0\); leave out --ema or pass --no-ema$/ },
};

/** The case with the fixtures' real paths, in its arguments and (escaped) in its expected stderr. */
function resolved(c: CliCase): CliCase {
  const names = Object.keys(fixtures).sort((a, b) => b.length - a.length);
  const swap = (text: string, quote: (path: string) => string) => names.reduce((t, n) => t.replaceAll(n, quote(fixtures[n])), text);
  const args = c.args.map((a) => swap(a, (p) => p));
  const backend = ['train', 'sample', 'eval', 'probe'].includes(args[0]) && !args.includes('--backend') ? ['--backend', 'cpu'] : [];
  return { ...c, args: [...args, ...backend], stderr: new RegExp(swap(c.stderr.source, (p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))) };
}

const runDirOf = (stdout: string): string => /^run: (.+)$/m.exec(stdout)![1];

async function train(spec: string, out: string, ...extra: string[]): Promise<string> {
  const r = await runMain('train', spec, '--out', out, '--backend', 'cpu', ...extra);
  expect(r.stderr, 'training the fixture run').not.toMatch(/error/i);
  expect(r.status).toBe(0);
  return runDirOf(r.stdout);
}

function writeGreyPng(path: string, shade: number): void {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) png.data.set([shade + 3 * i, shade + 3 * i, shade + 3 * i, 255], 4 * i);
  writeFileSync(path, PNG.sync.write(png));
}

describe('user errors through the CLI', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'ganc-error-classes-'));
    const file = (name: string, text: string | Buffer) => {
      writeFileSync(join(scratch, name), text);
      return join(scratch, name);
    };
    fixtures.SCRATCH = scratch;
    fixtures.RING8_SPEC = file('tiny_ring8.gan', TINY_RING8);
    fixtures.MISSPELT_LOSS_SPEC = file('misspelt.gan', TINY_RING8.replace('loss nonsaturating', 'loss nonsaturatin'));
    fixtures.MISSING_FOLDER_SPEC = file('missing-folder.gan', folderSpec('no-such-images'));
    fixtures.UNKNOWN_TENSOR_FILE = file('unknown.safetensors', encodeSafetensors({ bogus: { shape: [1], data: new Float32Array([1]) } }));
    fixtures.GARBAGE_FILE = file('garbage.safetensors', 'abc');

    const ring8Run = await train(fixtures.RING8_SPEC, join(scratch, 'runs'));
    fixtures.RING8_RUN = ring8Run;

    // The same run with line 2 of 4 in metrics.jsonl overwritten, as a disk error or an editor might.
    fixtures.DAMAGED_METRICS_RUN = join(scratch, 'damaged-metrics');
    cpSync(ring8Run, fixtures.DAMAGED_METRICS_RUN, { recursive: true });
    const metricsFile = join(fixtures.DAMAGED_METRICS_RUN, 'metrics.jsonl');
    const lines = readFileSync(metricsFile, 'utf8').split('\n');
    expect(lines.filter(Boolean)).toHaveLength(4);
    lines[1] = '{"step": 2, "losses": garbage';
    writeFileSync(metricsFile, lines.join('\n'));

    // ... and with a bit flipped in the tensor data of its latest checkpoint.
    fixtures.CORRUPT_CHECKPOINT_RUN = join(scratch, 'corrupt-checkpoint');
    cpSync(ring8Run, fixtures.CORRUPT_CHECKPOINT_RUN, { recursive: true });
    const checkpoint = join(fixtures.CORRUPT_CHECKPOINT_RUN, 'checkpoints', 'step-000004.safetensors');
    const bytes = readFileSync(checkpoint);
    bytes[bytes.length - 1] ^= 0x10;
    writeFileSync(checkpoint, bytes);

    // ... and locked by a live process (this one) as a run in training is.
    fixtures.LOCKED_RUN = join(scratch, 'locked-run');
    cpSync(ring8Run, fixtures.LOCKED_RUN, { recursive: true });
    writeFileSync(join(fixtures.LOCKED_RUN, 'lock'), `${process.pid} ${hostname()}\n`);

    // A search directory whose lock a live coordinator (this process) holds.
    fixtures.LOCKED_SEARCH = join(scratch, 'locked-search');
    mkdirSync(fixtures.LOCKED_SEARCH);
    writeFileSync(join(fixtures.LOCKED_SEARCH, 'search.lock'), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);

    const images = join(scratch, 'images');
    mkdirSync(images);
    for (let i = 0; i < 4; i++) writeGreyPng(join(images, `${i}.png`), 20 * i);
    fixtures.FOLDER_RUN = await train(file('folder.gan', folderSpec(images)), join(scratch, 'folder-runs'), '--steps', '2', '--batch', '2');
  }, PROCESS_TEST_TIMEOUT_MS);

  it.each(Object.entries(CLI_CASES))('%s: exit 1, one line on stderr, no stack trace', async (name, c) => {
    const { args, stderr: expected, spawned, env } = resolved(c);
    const r = spawned ? runGancProcess(args, env) : await runMain(...args);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.endsWith('\n')).toBe(true);
    // A spec's diagnostics are the one multi-line form: each `file:line:col: message`, the line, a caret.
    const [first, ...rest] = r.stderr.slice(0, -1).split('\n');
    if (name === 'SpecDiagnosticsError') expect(rest).toEqual(['loss nonsaturatin', '     ^']);
    else expect(rest).toEqual([]);
    expect(first).toMatch(expected);
  }, PROCESS_TEST_TIMEOUT_MS);
});

// ganc train's overrides and provenance, its signals and resume limits, and `ganc report`:
// --set written into the spec and checked like it (errors name the override), spec.gan as what ran,
// run.json, --version, --resume past the end (exit 1), SIGINT/SIGTERM on a real training process (exit 130,
// checkpoint at that step, report, one line) with the live report refreshed while it trains, and
// `ganc report` rebuilding one run's page or comparing several.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { effectiveSpecText } from '../../src/compiler/overrides.js';
import { parse, print } from '../../src/parser/index.js';
import { loadLatestCheckpoint } from '../../src/runtime/run/checkpoint.js';
import { readMetrics } from '../../src/runtime/run/metrics-log.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';

const TINY_RING8 = `# a comment the effective spec keeps
gan tiny_ring8
data ring8 batch 64
latent normal 2
generator
  dense 32
  relu
  dense 2
discriminator
  dense 32
  lrelu 0.2  # slope
  dense 1
loss nonsaturating
let gamma = 1
reg gamma * r1
train steps 4 seed 3 log 1 checkpoint 2 sample 100 eval 100
`;

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

let scratch: string;
let specFile: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-train-overrides-'));
  specFile = join(scratch, 'tiny_ring8.gan');
  writeFileSync(specFile, TINY_RING8);
});

const runDirOf = (stdout: string): string => /^run: (.+)$/m.exec(stdout)![1];
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

async function train(...args: string[]): Promise<string> {
  const r = await runMain('train', ...args);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  return runDirOf(r.stdout);
}

describe('ganc train --set', () => {
  it('writes every override into the spec that runs: spec.gan re-checks to the run\'s IR and says what ran', async () => {
    const out = join(scratch, 'runs-set');
    const args = [specFile, '--set', 'optimizer D lr 1e-4', '--set', 'let gamma 10', '--set', 'data batch 32', '--set', 'train steps 6',
      '--set', 'discriminator 1 lrelu 0.1', '--steps', '5', '--out', out, '--backend', 'cpu'];
    const run = await train(...args);
    const specGan = readFileSync(join(run, 'spec.gan'), 'utf8');
    // The formatter's canonical form (what `ganc fmt` prints), with each override in its statement.
    expect(print(parse(specGan, 'spec.gan').ast)).toBe(specGan);
    for (const line of ['data ring8 batch 32', 'let gamma = 10', 'train steps 5 seed 3 log 1 checkpoint 2 sample 100 eval 100', '  lrelu 0.1  # slope', 'optimizer D adam lr 1e-4']) {
      expect(specGan.split('\n')).toContain(line);
    }
    expect(specGan).toContain('# a comment the effective spec keeps');
    const checked = compileSource(specGan, join(run, 'spec.gan'));
    expect(checked.diagnostics).toEqual([]);
    const ir = readJson(join(run, 'ir.json'));
    expect(checked.ir).toEqual(ir);
    expect(ir).toMatchObject({ data: { batch: 32 }, train: { steps: 5 }, optimizers: { D: { lr: 1e-4 } } });
    expect(readMetrics(join(run, 'metrics.jsonl')).at(-1)!.step).toBe(5);
    // The report shows the spec that ran.
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('let gamma = 10');

    const info = readJson(join(run, 'run.json'));
    expect(info.command).toEqual(['ganc', 'train', ...args]);
    expect(info).toMatchObject({ backend: 'cpu', kernels: null, threads: 1, node: process.version, steps: 5, resumes: [] });
    expect(info.ganc).toMatchObject({ version: PACKAGE_VERSION });
    const commit = (info.ganc as { commit: unknown }).commit;
    if (existsSync(join(import.meta.dirname, '..', '..', '.git'))) expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(info.host).toMatchObject({ name: hostname(), platform: process.platform, arch: process.arch });
    expect(Date.parse(info.started as string)).toBeGreaterThan(Date.now() - 600_000);
  });

  it('records the kernel route and thread count of backend ganc', async () => {
    const run = await train(specFile, '--out', join(scratch, 'runs-ganc'));
    const info = readJson(join(run, 'run.json')) as { backend: string; kernels: { route: string; blas: string }; threads: number };
    expect(info.backend).toBe('ganc');
    expect(['native', 'portable']).toContain(info.kernels.route);
    const { loadNativeKernels } = await import('../../src/runtime/kernels/native.js');
    const native = loadNativeKernels();
    expect(info.threads).toBe(info.kernels.route === 'native' && 'kernels' in native ? native.kernels.threads() : 1);
  });

  it.each([
    ['an option no statement has', ['optimizer D lrr 1e-4'], /^--set 1 "optimizer D lrr 1e-4": 'lrr' is neither an optimizer .*did you mean 'lr'/],
    ['an option its statement does not take', ['train steps 3', 'train step 40'], /^--set 2 "train step 40": .*'step'.*did you mean 'steps'/],
    ['a value the checker refuses', ['data batch 0'], /^--set 1 "data batch 0": batch must be at least 1, got 0$/],
    ['a let the spec lacks', ['let gama 3'], /^--set 1 "let gama 3": the spec has no 'let gama' \(did you mean 'gamma'\?\)$/],
    ['an unknown statement', ['traim steps 3'], /^--set 1 "traim steps 3": unknown statement 'traim' \(did you mean 'train'\?\)/],
    ['a layer the network lacks', ['generator 7 kernel 3'], /^--set 1 "generator 7 kernel 3": expected a layer number from 0 to 2/],
    ['a layer that breaks the network', ['generator 2 dense 3'], /^--set 1 "generator 2 dense 3": the generator's output is \[3\] but the data shape is \[2\]/],
    ['a change that breaks a line it did not write', ['generator 1 reshape 4 8'], /^--set 1 "generator 1 reshape 4 8": with this override, .*tiny_ring8\.gan:8:3: dense needs a flat input \[N\], but its input is \[4, 8\]/],
    ['no value', ['loss'], /^--set 1 "loss": expected a value after 'loss'$/],
  ])('%s: exit 1, one line naming the override, no run directory', async (_name, sets, message) => {
    const out = join(scratch, 'runs-bad-set');
    const r = await runMain('train', specFile, ...sets.flatMap((s) => ['--set', s]), '--out', out, '--backend', 'cpu');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("keeps a data folder's path absolute in the run's spec, so the copy names the data wherever it is read", () => {
    const folder = TINY_RING8.replace('data ring8 batch 64', 'data folder "images" size 8 channels 1');
    const text = effectiveSpecText(folder, join(scratch, 'folder.gan'), scratch);
    expect(text).toContain(`data folder "${join(scratch, 'images')}" size 8 channels 1`);
    expect(effectiveSpecText(text, 'elsewhere.gan', '/somewhere/else')).toBe(text);
  });

  it('is refused with --resume (a run continues with its own spec)', async () => {
    const r = await runMain('train', '--resume', scratch, '--set', 'train steps 9');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ganc train --resume: --set is for new runs/);
  });
});

describe('ganc --version', () => {
  it("prints package.json's version and exits 0", async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runMain(flag);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${PACKAGE_VERSION}\n`);
    }
  });
});

describe('ganc train --resume', () => {
  it('of a run at or past --steps is a one-line error (exit 1) that changes nothing; beyond, it trains on and says so in spec.gan, ir.json and run.json', async () => {
    const run = await train(specFile, '--out', join(scratch, 'runs-resume'), '--backend', 'cpu');
    const before = readdirSync(join(run, 'checkpoints')).sort();
    const metricsBefore = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
    for (const steps of [['--steps', '3'], ['--steps', '4'], []]) {
      const r = await runMain('train', '--resume', run, ...steps, '--backend', 'cpu');
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toBe(`${run}: already at step 4, at or past ${steps.length ? steps.join(' ') : 'its 4 steps'}; nothing to train (give --steps above 4 to train on)`);
    }
    expect(readdirSync(join(run, 'checkpoints')).sort()).toEqual(before);
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(metricsBefore);

    const resumed = await runMain('train', '--resume', run, '--steps', '6', '--backend', 'cpu');
    expect(resumed.status).toBe(0);
    expect(readMetrics(join(run, 'metrics.jsonl')).map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readFileSync(join(run, 'spec.gan'), 'utf8')).toContain('train steps 6 seed 3');
    expect(readJson(join(run, 'ir.json'))).toMatchObject({ train: { steps: 6 } });
    const info = readJson(join(run, 'run.json')) as { steps: number; resumes: { fromStep: number; steps: number; command: string[] }[] };
    expect(info.steps).toBe(4);
    expect(info.resumes).toHaveLength(1);
    expect(info.resumes[0]).toMatchObject({ fromStep: 4, steps: 6, command: ['ganc', 'train', '--resume', run, '--steps', '6', '--backend', 'cpu'] });
  });
});

describe('a signal while training', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the live report was refreshed while training; exit 130, a checkpoint at that step, the report, one line', async (signal) => {
    const out = join(scratch, `runs-${signal}`);
    const proc = spawnGanc(['train', specFile, '--set', 'train steps 1000000 checkpoint 100000 sample 100000 eval 100000', '--out', out, '--backend', 'cpu']);
    try {
      const run = await waitFor('the run directory', () => existsSync(out) && readdirSync(out).filter((d) => !d.startsWith('.')).map((d) => join(out, d))[0]);
      const report = join(run, 'report.html');
      // After the first log interval the page is rewritten with the step it got to, while training goes on.
      await waitFor('a refreshed live report', () => existsSync(report) && /training: step ([1-9]\d*) of 1000000/.test(readFileSync(report, 'utf8')));
      expect(proc.child.exitCode, 'still training').toBeNull();
      await waitFor('20 logged steps', () => existsSync(join(run, 'metrics.jsonl')) && readMetrics(join(run, 'metrics.jsonl')).length >= 20);
      proc.child.kill(signal);
      await exited(proc.child);
      expect(proc.child.exitCode).toBe(130);
      const stopped = proc.lines.filter((l) => l.startsWith('interrupted'));
      expect(stopped).toHaveLength(1);
      const [, step, where] = /^interrupted at step (\d+); checkpoint and report written: (.+)$/.exec(stopped[0])!;
      expect(where).toBe(run);
      expect(proc.lines.filter((l) => /error|at .*\.ts:\d+/i.test(l))).toEqual([]);
      expect(loadLatestCheckpoint(run).step).toBe(Number(step));
      expect(readMetrics(join(run, 'metrics.jsonl')).at(-1)!.step).toBe(Number(step));
      expect(readFileSync(report, 'utf8')).toContain(`interrupted at step ${step} of 1000000`);

      // And it resumes from there.
      const resumed = await runMain('train', '--resume', run, '--steps', String(Number(step) + 2), '--backend', 'cpu');
      expect(resumed.status).toBe(0);
      expect(resumed.stderr).toContain(`resuming ${run} from step ${step}`);
    } finally {
      proc.child.kill('SIGKILL');
      await exited(proc.child);
    }
  }, PROCESS_TEST_TIMEOUT_MS);
});

describe('ganc report', () => {
  let runA: string;
  let runB: string;

  beforeAll(async () => {
    const out = join(scratch, 'runs-report');
    runA = await train(specFile, '--out', out, '--backend', 'cpu');
    runB = await train(specFile, '--set', 'gan tiny_hinge', '--set', 'loss hinge', '--set', 'let gamma 5', '--out', out, '--backend', 'cpu');
  }, PROCESS_TEST_TIMEOUT_MS);

  it("rebuilds one run's report.html", async () => {
    rmSync(join(runA, 'report.html'));
    const r = await runMain('report', runA, '--smooth', '0.25');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`report: ${join(runA, 'report.html')}\n`);
    const html = readFileSync(join(runA, 'report.html'), 'utf8');
    expect(html).toContain('<title>tiny_ring8 · ganc run report</title>');
    expect(html).toContain('"smoothing":0.25');
    expect(html).toContain('step 4 of 4');
  });

  it('compares several runs on one page: a legend entry per run, the spec diff, both final grids', async () => {
    const page = join(scratch, 'compare', 'page.html');
    mkdirSync(join(scratch, 'compare'), { recursive: true });
    const r = await runMain('report', runA, runB, '--out', page);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`report: ${page}\n`);
    const html = readFileSync(page, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="ganc-data">(.*?)<\/script>/s.exec(html)![1]) as { charts: { colors: { domain: string[] }; series: { name: string }[] }[] };
    expect(data.charts.length).toBeGreaterThan(5);
    for (const chart of data.charts) expect(chart.colors.domain).toEqual([basename(runA), basename(runB)]);
    expect(html).toContain('<span class="removed">- loss nonsaturating</span>');
    expect(html).toContain('<span class="added">+ loss hinge</span>');
    expect(html).toContain('<span class="added">+ let gamma = 5</span>');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
  });

  it.each([
    ['a missing run', ['NO_SUCH_RUN'], /^.*no-such-run: no such run folder$/],
    ['a folder that is no run', ['SCRATCH'], /: not a ganc run directory \(no ir\.json, metrics\.jsonl or spec\.gan\)$/],
    ['--out with one run', ['RUN_A', '--out', 'x.html'], /^--out is for comparing runs; a run's report is always .*\/report\.html$/],
    ['a bad --smooth', ['RUN_A', '--smooth', '1.5'], /^--smooth: expected a number from 0 to 0\.99, got '1\.5'$/],
    ['an unwritable page', ['RUN_A', 'RUN_B', '--out', 'SCRATCH/no/such/dir/page.html'], /page\.html: cannot write the comparison page \(ENOENT\)$/],
  ])('%s: exit 1, one line', async (_name, args, message) => {
    const resolved = args.map((a) => ({ NO_SUCH_RUN: join(scratch, 'no-such-run'), SCRATCH: scratch, RUN_A: runA, RUN_B: runB })[a] ?? a.replace('SCRATCH', scratch));
    const r = await runMain('report', ...resolved);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(existsSync(join(scratch, 'report.html'))).toBe(false);
  });
});

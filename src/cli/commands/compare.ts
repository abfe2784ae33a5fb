// `ganc compare SPEC...`: trains the grid methods × data fractions × seeds (through the search's executors:
// this process, --workers N processes, or a BullMQ --queue) and writes compare.md, compare.json and
// compare.html with means, spreads, 95% intervals and a baseline test, every run scored under one protocol.
// `ganc compare RUN_DIR...` builds the same table from existing runs; `--resume DIR` continues a grid.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { aggregateRuns, createCompare, runCompare, runsDirOf, writeOutputs } from '../../compare/compare.js';
import { CompareError } from '../../compare/compare-error.js';
import type { CompareDocument } from '../../compare/output.js';
import { COMPARE_HTML, COMPARE_JSON, COMPARE_MD, formatDuration } from '../../compare/output.js';
import { loadState, type Evaluation } from '../../compare/state.js';
import { formatFraction, formatInterval, formatNumber } from '../../compare/table.js';
import type { BackendName } from '../../runtime/backend.js';
import { chooseExecutor } from '../../search/executors.js';
import { lockSearchDir } from '../../search/search-lock.js';
import { PASSWORD_ENV, reachableQueue, type QueueAddress } from '../../search/queue-connection.js';
import { escapeControl } from '../../sanitize.js';
import type { CliCommand } from '../command.js';
import { type CliIO, readSpec } from '../io.js';

interface CompareCliOptions {
  fractions?: string;
  seeds: string;
  seed: string;
  steps?: string;
  evalEvery?: string;
  evalSamples: string;
  batch?: string;
  workers: string;
  queue?: string;
  queueName?: string;
  out?: string;
  resume?: string;
  baseline?: string;
  set: string[];
  backend?: BackendName;
}

/** Bounds queue workers hold trials to (job.schema.json); a grid beyond them could not run there. */
const LIMITS = { steps: 1_000_000, seeds: 100, seed: 2 ** 31 - 1, batch: 4096, evalSamples: [10, 50_000], workers: 64 } as const;

function whole(text: string, option: string, min: number, max: number): number {
  const x = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(x) || x < min || x > max) {
    throw new CompareError(`${option}: '${escapeControl(text)}' is not a whole number from ${min} to ${max}`);
  }
  return x;
}

function fractions(text: string): number[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const values = list.map((s) => {
    const x = Number(s);
    if (!(x > 0 && x <= 1)) throw new CompareError(`--fractions: '${escapeControl(s)}' is not a fraction in (0, 1]`);
    return x;
  });
  if (values.length === 0) throw new CompareError('--fractions: give at least one fraction, e.g. 0.1,0.2,1');
  if (new Set(values).size !== values.length) throw new CompareError(`--fractions: ${text} names a fraction twice`);
  return values;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The command line as a person would retype it: paths, then every option that was given. */
function commandLine(paths: string[], o: CompareCliOptions, given: (name: string) => boolean): string {
  const flags: [string, string | undefined][] = [
    ['--fractions', o.fractions], ['--seeds', o.seeds], ['--seed', o.seed], ['--steps', o.steps], ['--eval-every', o.evalEvery],
    ['--eval-samples', o.evalSamples], ['--batch', o.batch], ['--baseline', o.baseline], ['--workers', o.workers], ['--queue', o.queue],
    ['--out', o.out],
  ];
  const parts = ['ganc', 'compare', ...paths];
  for (const [flag, value] of flags) if (value !== undefined && given(flag.slice(2).replace(/-(.)/g, (_, c: string) => c.toUpperCase()))) parts.push(flag, value);
  for (const s of o.set) parts.push('--set', s);
  return parts.map(quote).join(' ');
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('compare')
      .description('controlled comparison: train specs × data fractions × seeds (or read existing runs) and report means with 95% intervals')
      .argument('[paths...]', '.gan spec files to train, or run directories (or folders of them) to aggregate')
      .option('--fractions <list>', 'data fractions, e.g. 0.1,0.2,1 (default: each spec\'s own)')
      .option('--seeds <n>', 'seeds per cell', '3')
      .option('--seed <n>', 'first seed', '0')
      .option('--steps <n>', 'training steps of every run (default: the specs\' own, where they agree)')
      .option('--eval-every <n>', 'evaluate during training every N steps, for the quality-over-steps curves')
      .option('--eval-samples <n>', 'generated samples per evaluation (the protocol\'s n)', '2000')
      .option('--batch <n>', 'data batch size (overrides the specs)')
      .option('--set <override>', 'a spec override; {a,b} lists alternatives, expanded to every combination, e.g. "optimizer D adam lr {1e-4,2e-4}" (repeatable)', collect, [])
      .option('--baseline <name>', 'the method the others are tested against (Welch\'s t-test)')
      .option('--out <dir>', 'compare directory (default compares/<time>)')
      .option('--resume <dir>', 'continue the grid in this compare directory')
      .option('--workers <n>', `trial processes on this machine (at most ${LIMITS.workers})`, '1')
      .option('--queue <url>', `put trials on a BullMQ queue at redis[s]://HOST:PORT[/DB] (ganc worker --queue trains them; password: ${PASSWORD_ENV})`)
      .option('--queue-name <name>', 'queue name (default ganc-trials)')
      .option('--backend <name>', 'tfjs backend (ganc, cpu, wasm, webgpu)')
      .action((paths: string[], o: CompareCliOptions, cmd: Command) => compare(paths, o, cmd, io));
  },
};

function defaultDir(): string {
  return join('compares', new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15));
}

async function compare(paths: string[], o: CompareCliOptions, cmd: Command, io: CliIO): Promise<void> {
  const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
  const workers = whole(o.workers, '--workers', 1, LIMITS.workers);
  const evalSamples = whole(o.evalSamples, '--eval-samples', LIMITS.evalSamples[0], LIMITS.evalSamples[1]);
  if (o.resume && paths.length > 0) throw new CompareError('ganc compare --resume DIR continues a grid: give no specs or runs with it');
  const { selectBackend } = await import('../../runtime/backend.js');

  if (!o.resume && paths.length > 0 && paths.every((p) => existsSync(p) && statSync(p).isDirectory())) {
    const gridOnly = ['fractions', 'seeds', 'seed', 'steps', 'evalEvery', 'batch', 'resume', 'workers', 'queue'].filter(given);
    const flags = [...gridOnly.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`), ...(o.set.length > 0 ? ['--set'] : [])];
    if (flags.length > 0) throw new CompareError(`ganc compare RUN_DIR...: ${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} only to a grid of specs`);
    await selectBackend(o.backend ?? 'ganc');
    const doc = await aggregateRuns(paths, {
      evalSamples, baseline: o.baseline ?? null, command: commandLine(paths, o, given),
      onEvaluated: (runDir, e) => io.out(escapeControl(`scored ${runDir}: ${evaluationText(e)}`)),
    });
    const dir = o.out ?? defaultDir();
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CompareError(`--out ${dir}: is a file`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    await writeOutputs(dir, doc, true);
    summarize(doc, dir, io);
    return;
  }

  // Before a compare directory exists: a bad queue address must leave nothing behind.
  const queue = o.queue ? await reachableQueue(o.queue, (line) => io.err(line)) : undefined;
  let dir: string;
  let release: () => void;
  if (o.resume) {
    dir = o.resume;
    loadState(dir); // a directory that is no comparison is said so before any lock is taken in it
    // One coordinator per directory: two would train every remaining trial twice.
    release = lockSearchDir(dir, 'ganc compare');
    const state = loadState(dir);
    const finished = Object.keys(state.results).length;
    io.out(escapeControl(`resuming ${dir}: ${finished} trial${finished === 1 ? '' : 's'} already finished, ${Object.keys(state.evaluations).length} scored`));
  } else {
    if (paths.length === 0) throw new CompareError('ganc compare: give spec files to train, run directories to aggregate, or --resume DIR');
    const notSpecs = paths.filter((p) => existsSync(p) && statSync(p).isDirectory());
    if (notSpecs.length > 0) throw new CompareError(`ganc compare: give spec files or run directories, not both (${notSpecs[0]} is a directory)`);
    const specs = await Promise.all(paths.map(async (file) => ({ file, text: await readSpec(file) })));
    const seeds = whole(o.seeds, '--seeds', 1, LIMITS.seeds);
    const first = whole(o.seed, '--seed', 0, LIMITS.seed - seeds + 1);
    dir = o.out ?? defaultDir();
    const state = createCompare(dir, specs, {
      seeds: Array.from({ length: seeds }, (_, i) => first + i),
      steps: o.steps === undefined ? null : whole(o.steps, '--steps', 1, LIMITS.steps),
      fractions: o.fractions === undefined ? null : fractions(o.fractions),
      evalEvery: o.evalEvery === undefined ? null : whole(o.evalEvery, '--eval-every', 1, LIMITS.steps),
      evalSamples,
      batch: o.batch === undefined ? null : whole(o.batch, '--batch', 1, LIMITS.batch),
      baseline: o.baseline ?? null,
      sets: o.set,
    }, commandLine(paths, o, given));
    release = lockSearchDir(dir, 'ganc compare');
    const runs = state.cells.length * state.config.seeds.length;
    io.out(escapeControl(`${dir}: ${state.methods.length} methods (${state.methods.map((m) => m.name).join(', ')}) × `
      + `${new Set(state.cells.map((c) => c.fraction)).size} fractions × ${seeds} seeds = ${runs} runs of ${state.config.steps} steps`));
  }
  let doc: CompareDocument;
  try {
    doc = await gridIn(dir, workers, queue, o, io);
  } finally {
    release();
  }
  summarize(doc, dir, io);
}

async function gridIn(dir: string, workers: number, queue: QueueAddress | undefined, o: CompareCliOptions, io: CliIO): Promise<CompareDocument> {
  const state = loadState(dir);
  const { selectBackend } = await import('../../runtime/backend.js');
  await selectBackend(o.backend ?? 'ganc');
  const executor = chooseExecutor({ workers, queue, queueName: o.queueName, backend: o.backend }, runsDirOf(dir), state.compareId);
  io.out(`trials run ${executor.description}`);
  try {
    return await runCompare(dir, executor, {
      onResult: (r, p) => {
        const what = r.diverged ? `diverged at step ${r.diverged.step} (${r.diverged.term})` : r.error ? `failed: ${r.error}` : 'trained';
        const eta = p.done === p.total ? '' : p.etaSeconds === null ? ' · time left: after more trials finish' : ` · about ${formatDuration(p.etaSeconds)} left`;
        // A result's texts may come from a queue worker: shown, never sent raw to the terminal.
        io.out(escapeControl(`[${p.done}/${p.total}] ${r.trialId}: ${what} in ${r.seconds.toFixed(1)} s (${r.worker})${eta}`));
      },
      onEvaluated: (id, e) => io.out(escapeControl(`  scored ${id}: ${evaluationText(e)}`)),
    });
  } finally {
    await executor.close();
  }
}

function evaluationText(e: Evaluation): string {
  return 'error' in e ? `not scored: ${e.error}` : Object.entries(e.scores).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ');
}

function summarize(doc: CompareDocument, dir: string, io: CliIO): void {
  const t = doc.table;
  for (const m of t.measures) {
    io.out(`\n${m.name} (${m.better} is better): mean ± sd [95% interval], n`);
    for (const c of t.cells) {
      const s = c.measures[m.name].summary;
      const flags = [c.diverged ? `${c.diverged} diverged` : '', c.failed ? `${c.failed} failed` : ''].filter(Boolean).join(', ');
      const value = s ? `${formatNumber(s.mean)}${s.sd !== null ? ` ± ${formatNumber(s.sd)}` : ''} ${formatInterval(s.ci95)}, n ${s.n}` : '—';
      io.out(escapeControl(`  ${c.method.padEnd(16)} ${formatFraction(c.fraction).padStart(6)}  ${value}${flags ? `  (${flags})` : ''}`));
    }
  }
  const verdicts = t.comparisons.filter((c) => c.measure === t.measures[0].name);
  if (verdicts.length > 0) {
    io.out(`\nagainst ${t.baseline} (${t.measures[0].name}):`);
    for (const c of verdicts) io.out(escapeControl(`  ${c.method.padEnd(16)} ${formatFraction(c.fraction).padStart(6)}  ${c.verdict}`));
  }
  io.out(`\n${[COMPARE_MD, COMPARE_JSON, COMPARE_HTML].map((f) => escapeControl(join(dir, f))).join('\n')}`);
}

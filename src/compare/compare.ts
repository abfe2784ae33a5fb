// A comparison from start to table. `createCompare` checks every method's spec and every cell's, saves the
// cells' specs and the state; `runCompare` trains what has no result through a search executor (this
// process, worker processes or a BullMQ queue), scores each finished run under the protocol, saves the
// state after every result and every score, and writes compare.md, compare.json and compare.html. Run
// again on the same directory it continues without training or scoring anything twice.
// `aggregateRuns` reads existing run directories into the same table.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../runtime/run/atomic-write.js';
import type { TrialExecutor } from '../search/executor.js';
import { InlineExecutor } from '../search/executor-inline.js';
import type { TrialResult } from '../search/trial.js';
import { CompareError } from './compare-error.js';
import { buildCells, buildMethods, measureFamily, trialsOf, type CompareConfig } from './grid.js';
import { compareHtml } from './html.js';
import { COMPARE_HTML, writeTextOutputs, type CompareDocument, type MethodInfo } from './output.js';
import { evaluateRunDir, protocolFor } from './protocol.js';
import { findRunDirs, oneRunPerSeed, readRunDirFacts, recordOfRunDir, recordOfTrial, writeTrialOutcome, type RunRecord } from './records.js';
import { loadState, saveState, type CompareState, type Evaluation } from './state.js';
import { buildTable } from './table.js';

export const RUNS_DIR = 'runs';
export const SPECS_DIR = 'specs';

export const runsDirOf = (dir: string): string => join(resolve(dir), RUNS_DIR);

/** Creates the compare directory: the checked spec of every cell in specs/, and the initial state. */
export function createCompare(
  dir: string, specs: { file: string; text: string }[], options: Omit<CompareConfig, 'steps'> & { steps: number | null }, command: string,
): CompareState {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new CompareError(`${dir}: exists and is not empty (use --resume ${dir} to continue it)`);
  const methods = buildMethods(specs, options.sets);
  // Every method trains as long as the others: --steps, or the specs' own steps where they agree.
  const specSteps = [...new Set(methods.map((m) => m.specSteps))];
  if (options.steps === null && specSteps.length > 1) {
    throw new CompareError(`the specs train for different numbers of steps (${specSteps.join(', ')}): give --steps N for all of them`);
  }
  const config: CompareConfig = { ...options, steps: options.steps ?? specSteps[0] };
  const cells = buildCells(methods, config);
  if (config.baseline !== null && !methods.some((m) => m.name === config.baseline)) {
    throw new CompareError(`--baseline ${config.baseline}: no such method; the methods are ${methods.map((m) => m.name).join(', ')}`);
  }
  const state: CompareState = {
    version: 1, compareId: `cmp-${randomUUID().slice(0, 8)}`, createdAt: new Date().toISOString(), command, elapsedSeconds: 0,
    config, methods, cells, results: {}, evaluations: {},
  };
  mkdirSync(join(dir, SPECS_DIR), { recursive: true });
  try {
    for (const cell of cells) writeFileAtomic(join(dir, SPECS_DIR, `${cell.variantId}.gan`), cell.specText);
    saveState(dir, state);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true }); // no half-made compare directory
    throw e;
  }
  return state;
}

export interface CompareEvents {
  /** A trial finished (or failed): how many of the grid have, and the estimated time left. */
  onResult?: (result: TrialResult, progress: { done: number; total: number; etaSeconds: number | null }) => void;
  /** A run was scored under the protocol (or could not be). */
  onEvaluated?: (trialId: string, evaluation: Evaluation) => void;
}

/** Seconds a trial is expected to take: the mean of the finished trials of its method, else of all. */
function estimator(state: CompareState): (variantId: string) => number | null {
  const methodOf = new Map(state.cells.map((c) => [c.variantId, c.method]));
  return (variantId) => {
    const done = Object.values(state.results).filter((r) => r.error === null);
    const same = done.filter((r) => methodOf.get(r.variantId) === methodOf.get(variantId));
    const pool = same.length > 0 ? same : done;
    return pool.length > 0 ? pool.reduce((s, r) => s + r.seconds, 0) / pool.length : null;
  };
}

function recordsOfState(state: CompareState): RunRecord[] {
  const dataOf = new Map(state.methods.map((m) => [m.name, m.data]));
  const trials = trialsOf(state.cells, state.methods, state.config);
  const cellOf = new Map(state.cells.map((c) => [c.variantId, c]));
  return trials.map((t) => recordOfTrial(cellOf.get(t.variantId)!, dataOf.get(cellOf.get(t.variantId)!.method)!, t.seed, t.steps,
    state.results[t.id], state.evaluations[t.id]));
}

export async function documentOfState(state: CompareState): Promise<CompareDocument> {
  const records = recordsOfState(state);
  const protocol = await protocolFor(state.methods[0].data, state.config.evalSamples);
  const methods: MethodInfo[] = state.methods.map((m) => ({ name: m.name, specFile: m.specFile, overrides: m.overrides, specText: m.specText }));
  return {
    mode: 'grid', command: state.command, table: buildTable(records, protocol, state.config.baseline), config: state.config, methods,
    notes: [], trainingSeconds: records.reduce((s, r) => s + (r.seconds ?? 0), 0), elapsedSeconds: state.elapsedSeconds,
  };
}

export async function writeOutputs(dir: string, doc: CompareDocument, html: boolean): Promise<void> {
  writeTextOutputs(dir, doc);
  if (html) writeFileAtomic(join(dir, COMPARE_HTML), await compareHtml(doc));
}

function evaluationError(e: unknown): { error: string } {
  return { error: (e as Error).message.split('\n')[0] };
}

/** Runs (or continues) the comparison in `dir` until every cell is trained and scored; writes the outputs. */
export async function runCompare(dir: string, executor: TrialExecutor, events: CompareEvents = {}): Promise<CompareDocument> {
  const state = loadState(dir);
  const sessionStart = Date.now();
  const elapsedBefore = state.elapsedSeconds;
  const save = (): void => {
    state.elapsedSeconds = elapsedBefore + (Date.now() - sessionStart) / 1000;
    saveState(dir, state);
  };
  const trials = trialsOf(state.cells, state.methods, state.config);
  // A failure (a trial process that kept dying, a job refused, a run that could not be read) may be
  // fixed by now: it is tried again. A divergence is a result and stays.
  for (const [id, result] of Object.entries(state.results)) if (result.error !== null) delete state.results[id];
  for (const [id, evaluation] of Object.entries(state.evaluations)) if ('error' in evaluation) delete state.evaluations[id];
  const estimate = estimator(state);

  // Scores are computed one at a time, in this process, as results arrive.
  let scoring = Promise.resolve();
  const score = (result: TrialResult): void => {
    if (result.error !== null || result.diverged !== null || state.evaluations[result.trialId]) return;
    scoring = scoring.then(async () => {
      let evaluation: Evaluation;
      try {
        if (!existsSync(result.runDir)) throw new Error(`run directory ${result.runDir} is not on this machine (compare scores every run itself: give the workers an --out this machine reads)`);
        evaluation = await evaluateRunDir(result.runDir, state.config.evalSamples);
      } catch (e) {
        evaluation = evaluationError(e);
      }
      state.evaluations[result.trialId] = evaluation;
      save();
      writeTextOutputs(dir, await documentOfState(state));
      events.onEvaluated?.(result.trialId, evaluation);
    });
  };
  // Finished before a restart, not scored yet.
  for (const result of Object.values(state.results)) score(result);

  const pending = trials.filter((t) => !state.results[t.id]);
  let sessionWork = 0;
  const onResult = (result: TrialResult): void => {
    // A result for a trial already recorded (a job finishing twice) is not counted again.
    if (state.results[result.trialId]) return;
    state.results[result.trialId] = result;
    save();
    writeTrialOutcome(result);
    sessionWork += result.seconds;
    const left = trials.filter((t) => !state.results[t.id]);
    const perTrial = left.map((t) => estimate(t.variantId));
    // Work still to do at the pace this session kept (parallel workers make it faster than the sum).
    const pace = sessionWork > 0 ? (Date.now() - sessionStart) / 1000 / sessionWork : null;
    const etaSeconds = pace === null || perTrial.some((s) => s === null) ? null : perTrial.reduce<number>((s, x) => s + x!, 0) * pace;
    events.onResult?.(result, { done: trials.length - left.length, total: trials.length, etaSeconds });
    score(result);
  };
  if (executor instanceof InlineExecutor) {
    // Training in this process never yields to the scoring; one trial at a time keeps each score (and
    // compare.md) right after its trial.
    for (const trial of pending) {
      await executor.runAll([trial], onResult);
      await scoring;
    }
  } else if (pending.length > 0) {
    await executor.runAll(pending, onResult);
  }
  await scoring;
  save();
  const doc = await documentOfState(state);
  await writeOutputs(dir, doc, true);
  return doc;
}

export interface AggregateOptions {
  evalSamples: number;
  baseline: string | null;
  command: string;
  onEvaluated?: (runDir: string, evaluation: Evaluation) => void;
}

/** The table of existing run directories, each scored under the protocol now. */
export async function aggregateRuns(paths: string[], opts: AggregateOptions): Promise<CompareDocument> {
  const { kept, superseded } = oneRunPerSeed(findRunDirs(paths).map(readRunDirFacts));
  const families = new Set(kept.map((f) => measureFamily(f.base.data)));
  if (families.size > 1) throw new CompareError(`the runs trained on different data (${[...new Set(kept.map((f) => f.base.data))].join(', ')}): one comparison scores one kind of data`);
  const names = [...new Set(kept.map((f) => f.base.method))];
  // Before the scoring, which takes a while.
  if (opts.baseline !== null && !names.includes(opts.baseline)) throw new CompareError(`--baseline ${opts.baseline}: no such method; the methods are ${names.join(', ')}`);
  const records: RunRecord[] = [];
  for (const facts of kept) {
    let evaluation: Evaluation | undefined;
    if (!facts.unfinished) {
      try {
        evaluation = await evaluateRunDir(facts.base.runDir!, opts.evalSamples);
      } catch (e) {
        evaluation = evaluationError(e);
      }
      opts.onEvaluated?.(facts.base.runDir!, evaluation);
    }
    records.push(recordOfRunDir(facts, evaluation));
  }
  const protocol = await protocolFor(kept[0].base.data, opts.evalSamples);
  const methods: MethodInfo[] = [...new Set(records.map((r) => r.method))].map((name) => {
    const run = kept.filter((f) => f.base.method === name).sort((a, b) => b.base.fraction - a.base.fraction)[0];
    return { name, specFile: null, overrides: [], specText: run.specText };
  });
  const one = superseded.length === 1;
  const notes = superseded.length === 0 ? [] : [`Left out: ${superseded.length} run${one ? '' : 's'} that stopped early and ${one ? 'was' : 'were'} trained again `
    + `with the same method, fraction and seed (${superseded.join(', ')}).`];
  const steps = new Set(records.map((r) => r.steps));
  if (steps.size > 1) notes.push(`The runs trained for different numbers of steps (${[...steps].sort((a, b) => a - b).join(', ')}): the table's steps column says which.`);
  return {
    mode: 'runs', command: opts.command, table: buildTable(records, protocol, opts.baseline), config: null, methods, notes,
    trainingSeconds: records.reduce((s, r) => s + (r.seconds ?? 0), 0), elapsedSeconds: null,
  };
}

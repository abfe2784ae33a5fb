// `ganc train`: a run from a checked spec (or the resumption of one) with everything it leaves
// behind: run directory, metrics.jsonl, sample grids, quality measures, checkpoints, report.html.
import { dirname, join, resolve } from 'node:path';
import type { BuiltinTerm, GanIR } from '../../ir/ir.js';
import { deferredReadback, selectBackend, type BackendName } from '../backend.js';
import { loadDataset, type Dataset } from '../data/index.js';
import { checkDataClasses } from '../data/dataset.js';
import { regularizerLabel, windowedLabel } from '../graph/step-values.js';
import { evaluateSamples } from '../metrics/index.js';
import { loadLatestCheckpoint, saveCheckpoint } from '../run/checkpoint.js';
import { MetricsLog, truncateMetricsAfterStep, type MetricsInput, type Scalars } from '../run/metrics-log.js';
import { writeFileAtomic } from '../run/atomic-write.js';
import { createRunDir, IR_FILE, METRICS_FILE, RunDirError, SAMPLES_DIR, SPEC_FILE } from '../run/run-dir.js';
import { lockRun, type RunLock } from '../run/run-lock.js';
import type { ReportStatus } from '../run/report.js';
import { LiveReport, type LiveReportStats } from '../run/report-live.js';
import { describeInvocation, recordResume, runInfoFor, type Invocation } from '../run/run-info.js';
import { writeSampleGrid } from '../run/sample-grid.js';
import { fromCheckpoint, toCheckpoint } from './checkpoint-state.js';
import { fixedNoiseRng, generateSamplesAsync, requestedLabels } from './generate.js';
import { readRunIR } from './trained-run.js';
import {
  DivergenceError, dispatchIteration, disposePending, disposeState, freshState, readIterations, readIterationSync,
  type IterationRecord, type PendingIteration, type TrainingState,
} from './trainer.js';

export interface TrainRunOptions {
  /** Where runs are created (a new `<name>-<time>/` inside). */
  outRoot: string;
  /** The spec as written and its checked IR; absent when resuming (the run's own copies are used). */
  spec?: { text: string; file: string; ir: GanIR };
  /** Continue this run directory from its latest checkpoint. */
  resume?: string;
  /** Overrides of the spec's `train` / `data` settings. */
  steps?: number;
  seed?: number;
  batch?: number;
  backend?: BackendName;
  /** Number of generated samples the quality measures use. */
  evalSamples?: number;
  /** Called after every iteration (progress display). */
  onIteration?: (step: number, total: number, record: IterationRecord) => void;
  /** One-line notices for the user (backend fallback, resumption). */
  onNotice?: (line: string) => void;
  /** The command line, for run.json (default: the process's argv). */
  command?: string[];
  /** On a resume with new steps: the run's spec with them written in, to replace its spec.gan. */
  resumeSpecText?: string;
  /** Once aborted (SIGINT/SIGTERM): finish the iteration, write a checkpoint and the report, and return. */
  signal?: AbortSignal;
  /** Initial smoothing of report.html's slider. */
  smoothing?: number;
}

export interface TrainRunResult {
  runDir: string;
  step: number;
  /** The last quality evaluation, if any. */
  quality: Scalars | null;
  /** Set when training stopped on a non-finite loss or term. */
  diverged: DivergenceError | null;
  /** Stopped early through `signal`; the checkpoint and report are at `step`. */
  interrupted: boolean;
  /** What writing report.html cost during training. */
  report: LiveReportStats;
}

const SAMPLE_GRID_SIZE = 64;
/** How often the training loop lets the event loop run (signal handlers) when it can be interrupted. */
const YIELD_EVERY_MS = 20;
/**
 * On a GPU (deferred read-back) the values of iterations are read in one batch at every step that logs,
 * samples, checkpoints or evaluates, and at least every this many iterations, which bounds how far
 * training runs past a divergence before it is seen (the run stops there and names the first bad step).
 */
const MAX_PENDING = 50;

/**
 * The IR a run actually trains: the spec's, with the command line's overrides written in and a
 * folder data set's path made absolute (the run directory's copy must not depend on where the spec was).
 */
function effectiveIR(ir: GanIR, opts: TrainRunOptions, specDir: string): GanIR {
  const copy: GanIR = structuredClone(ir);
  if (copy.data.path !== undefined) copy.data.path = resolve(specDir, copy.data.path);
  if (opts.steps !== undefined) copy.train.steps = opts.steps;
  if (opts.seed !== undefined) copy.train.seed = opts.seed;
  if (opts.batch !== undefined) copy.data.batch = opts.batch;
  return copy;
}

/** An iteration's record as a metrics.jsonl entry: every term, every regularizer, every windowed term. */
function metricsEntry(ir: GanIR, step: number, r: IterationRecord, quality: Scalars | null): MetricsInput {
  const regularizers: Scalars = {};
  const windowed: Scalars = {};
  ir.regularizers.forEach((reg, i) => {
    regularizers[regularizerLabel(reg)] = r.d.regularizers[i].value;
    for (const [term, value] of Object.entries(r.d.regularizers[i].windowed)) windowed[windowedLabel(ir, reg, term as BuiltinTerm)] = value;
  });
  const entry: MetricsInput = {
    step,
    losses: { D: r.d.loss, G: r.g.loss, D_adversarial: r.d.adversarial },
    terms: { ...r.d.terms } as Scalars,
    regularizers,
    windowed,
    grad_norms: { D: r.gradNorms.D, G: r.gradNorms.G },
    step_ms: r.stepMs,
  };
  if (quality) entry.quality = quality;
  return entry;
}

/** The run's data set, its classes checked against the latent's (a folder's subfolders are known only now). */
async function loadTrainingData(ir: GanIR, specDir: string, onNotice: TrainRunOptions['onNotice']): Promise<Dataset> {
  const dataset = await loadDataset(ir.data, { seed: ir.train.seed, specDir, onNotice });
  checkDataClasses(ir.data, ir.latent.classes, dataset);
  return dataset;
}

export async function runTraining(opts: TrainRunOptions): Promise<TrainRunResult> {
  const backend = await selectBackend(opts.backend ?? 'ganc');
  if (backend.notice) opts.onNotice?.(backend.notice);

  let ir: GanIR;
  let runDir: string;
  let state: TrainingState;
  let dataset: Dataset;
  let specDir: string;
  let lock: RunLock;
  if (opts.resume) {
    runDir = opts.resume;
    specDir = runDir;
    ir = effectiveIR(readRunIR(runDir), { ...opts, seed: undefined, batch: undefined }, specDir);
    // Before anything is read or rewritten: a second `--resume` of a run in training stops here.
    lock = lockRun(runDir);
    try {
      dataset = await loadTrainingData(ir, specDir, opts.onNotice);
      const checkpoint = loadLatestCheckpoint(runDir);
      state = fromCheckpoint(ir, checkpoint);
      refuseNothingToTrain(runDir, ir, state, opts.steps);
      truncateMetricsAfterStep(join(runDir, METRICS_FILE), state.step);
      recordResumedRun(runDir, ir, opts, describeInvocation(backend, opts.command, ir.train.steps, state.step));
    } catch (e) {
      lock.release();
      throw e;
    }
    opts.onNotice?.(`resuming ${runDir} from step ${state.step}`);
  } else {
    if (!opts.spec) throw new Error('runTraining needs a spec or a run to resume');
    specDir = dirname(opts.spec.file);
    ir = effectiveIR(opts.spec.ir, opts, specDir);
    // Data first: a missing folder must fail before a run directory exists.
    dataset = await loadTrainingData(ir, specDir, opts.onNotice);
    const runInfo = runInfoFor(describeInvocation(backend, opts.command, ir.train.steps));
    runDir = createRunDir(opts.outRoot, ir.name, { specText: opts.spec.text, ir, runInfo });
    lock = lockRun(runDir);
    state = freshState(ir, ir.train.seed);
  }

  let log: MetricsLog;
  try {
    log = MetricsLog.open(join(runDir, METRICS_FILE));
  } catch (e) {
    disposeState(state);
    lock.release();
    throw e;
  }
  const total = ir.train.steps;
  let quality: Scalars | null = null;
  let diverged: DivergenceError | null = null;
  const every = (n: number, step: number): boolean => step === total || (n > 0 && step % n === 0);
  const report = new LiveReport(runDir, { smoothing: opts.smoothing });
  const status = (kind: ReportStatus['state']): ReportStatus => ({ state: kind, step: state.step, total });
  let interrupted = false;
  let last: { record: IterationRecord; logged: boolean } | null = null;
  // A resumed run has its checkpoint at the step it starts from.
  let checkpointed = opts.resume ? state.step : -1;
  let lastYield = performance.now();
  // On a GPU, iterations dispatched and not yet read back (their values are read in batches).
  const deferred = deferredReadback(backend.name);
  let pending: PendingIteration[] = [];
  const readPending = async (): Promise<IterationRecord[]> => {
    const batch = pending;
    pending = [];
    return deferred ? readIterations(batch, state) : batch.map((p) => readIterationSync(p, state));
  };
  try {
    await report.write(status('training'));
    while (state.step < total) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      const step = state.step + 1;
      const evaluates = every(ir.train.evalEvery, step);
      const logs = step === 1 || every(ir.train.logEvery, step) || evaluates;
      const samples = every(ir.train.sampleEvery, step);
      const checkpoints = every(ir.train.checkpointEvery, step);
      pending.push(dispatchIteration(ir, dataset, state));
      lock.assertHeld(step);
      // Every step that writes something reads first, so what it writes comes from a state checked finite.
      if (!deferred || logs || samples || checkpoints || pending.length >= MAX_PENDING) {
        let records: IterationRecord[];
        try {
          records = await readPending();
        } catch (e) {
          if (!(e instanceof DivergenceError)) throw e;
          diverged = e;
          break;
        }
        records.forEach((record, i) => opts.onIteration?.(step - records.length + 1 + i, total, record));
        const record = records[records.length - 1];
        const evaluated = evaluates ? await evaluate(ir, state, dataset, opts.evalSamples ?? 2000) : null;
        if (evaluated) quality = evaluated;
        if (logs) log.append(metricsEntry(ir, step, record, evaluated));
        last = { record, logged: logs };
        if (samples) await writeSamples(ir, state, dataset, runDir);
        if (checkpoints) {
          saveCheckpoint(runDir, step, await toCheckpoint(state));
          checkpointed = step;
        }
        if (logs) await report.refresh(status('training'), evaluated !== null);
      }
      // Signal handlers run on the event loop, which this loop would otherwise never give back; every
      // 20 ms is soon enough for Ctrl-C and costs nothing measurable.
      if (opts.signal && performance.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    if (interrupted && pending.length > 0) {
      try {
        const records = await readPending();
        last = { record: records[records.length - 1], logged: false };
      } catch (e) {
        if (!(e instanceof DivergenceError)) throw e;
        diverged = e;
        interrupted = false;
      }
    }
    if (interrupted) {
      // The curves and the checkpoint end where training stopped, so a resume continues from there.
      if (last && !last.logged) log.append(metricsEntry(ir, state.step, last.record, null));
      if (checkpointed !== state.step) saveCheckpoint(runDir, state.step, await toCheckpoint(state));
    }
  } catch (e) {
    lock.release();
    throw e;
  } finally {
    log.close();
    disposePending(pending);
    disposeState(state);
  }
  try {
    const final = diverged ? { ...status('diverged'), step: diverged.step - 1, message: diverged.message } : status(interrupted ? 'interrupted' : 'finished');
    await report.write(final);
  } finally {
    lock.release();
  }
  // A diverged run ends at the last step that was finite (on a GPU, later steps may have been dispatched).
  return { runDir, step: diverged ? diverged.step - 1 : state.step, quality, diverged, interrupted, report: report.stats() };
}

function samplingParams(state: TrainingState): TrainingState['params'] {
  return state.ema ? { ...state.params, ...state.ema } : state.params;
}

async function writeSamples(ir: GanIR, state: TrainingState, dataset: Dataset, runDir: string): Promise<void> {
  const isPoints = ir.data.shape.length === 1;
  // 2-D data is shown as a scatter plot: more points, with the real distribution behind them.
  const classes = ir.latent.classes;
  const file = join(runDir, SAMPLES_DIR, `step-${String(state.step).padStart(6, '0')}.png`);
  if (classes !== undefined && !isPoints) {
    // One row per class: row r asks for class r.
    const n = classes * CLASS_GRID_COLUMNS;
    const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / CLASS_GRID_COLUMNS));
    const samples = await generateSamplesAsync(ir, samplingParams(state), fixedNoiseRng(ir.train.seed), n, 256, labels);
    writeSampleGrid(file, samples, n, ir.data.shape, { columns: CLASS_GRID_COLUMNS });
    return;
  }
  const n = isPoints ? 1024 : SAMPLE_GRID_SIZE;
  const samples = await generateSamplesAsync(ir, samplingParams(state), fixedNoiseRng(ir.train.seed), n);
  const options = isPoints ? { realPoints: dataset.batch(fixedNoiseRng(ir.train.seed).fork('real'), n) } : {};
  writeSampleGrid(file, samples, n, ir.data.shape, options);
}

/** Samples per class in a conditional G's sample grid. */
const CLASS_GRID_COLUMNS = 10;

async function evaluate(ir: GanIR, state: TrainingState, dataset: Dataset, n: number): Promise<Scalars> {
  const fake = await generateSamplesAsync(ir, samplingParams(state), fixedNoiseRng(ir.train.seed).fork('eval'), n);
  return evaluateSamples(ir.data, dataset, fake, n, { requestedLabels: requestedLabels(ir, n) });
}

/** `--resume` of a run already at (or past) the steps asked for has nothing to do: the user's mistake. */
function refuseNothingToTrain(runDir: string, ir: GanIR, state: TrainingState, steps: number | undefined): void {
  if (state.step < ir.train.steps) return;
  disposeState(state);
  const asked = steps !== undefined ? `--steps ${steps}` : `its ${ir.train.steps} steps`;
  throw new RunDirError(`${runDir}: already at step ${state.step}, at or past ${asked}; nothing to train (give --steps above ${state.step} to train on)`);
}

/**
 * A resume with new steps rewrites spec.gan and ir.json to say so (the run's files say what ran), and
 * every resume adds what ran it to run.json.
 */
function recordResumedRun(runDir: string, ir: GanIR, opts: TrainRunOptions, invocation: Invocation): void {
  if (opts.steps !== undefined) {
    if (opts.resumeSpecText !== undefined) writeFileAtomic(join(runDir, SPEC_FILE), opts.resumeSpecText);
    writeFileAtomic(join(runDir, IR_FILE), `${JSON.stringify(ir, null, 2)}\n`);
  }
  recordResume(runDir, invocation);
}

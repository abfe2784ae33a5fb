// Training progress for a person watching: a live bar (cli-progress) on a terminal, plain log lines every
// K steps otherwise (pipes, log files, CI). Everything goes to stderr, so `--json` output on stdout stays
// parseable.
import cliProgress from 'cli-progress';
import type { Scalars } from './metrics-log.js';

export interface ProgressOptions {
  totalSteps: number;
  /** Step the session starts from (non-zero when resuming); speed is measured from here. */
  startStep?: number;
  /** Default: process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Live bar or plain lines; default: a bar when the stream is a terminal and CI is not set. */
  interactive?: boolean;
  /** Plain lines: one every this many steps (default 100), and one for the last step. */
  logEvery?: number;
  /** Milliseconds clock; tests pass a fake one. */
  now?: () => number;
}

export interface TrainingProgress {
  /** Call after each step with the losses to show. */
  update(step: number, losses: Scalars): void;
  /** A line of text (checkpoint written, NaN found, ...) that must not tear the bar. */
  message(text: string): void;
  /** Must be called at the end: the bar redraws on a timer that keeps the process alive. */
  stop(): void;
}

export function createProgress(options: ProgressOptions): TrainingProgress {
  const stream = options.stream ?? process.stderr;
  const interactive = options.interactive ?? (stream.isTTY === true && !isCi());
  const speed = new SpeedEstimate(options.startStep ?? 0, options.now ?? Date.now);
  return interactive ? new ProgressBar(stream, options.totalSteps, options.startStep ?? 0, speed) : new ProgressLines(stream, options.totalSteps, options.logEvery ?? 100, speed);
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

class ProgressBar implements TrainingProgress {
  private readonly bars: cliProgress.MultiBar;
  private readonly bar: cliProgress.SingleBar;

  constructor(
    stream: NodeJS.WritableStream,
    private readonly totalSteps: number,
    startStep: number,
    private readonly speed: SpeedEstimate,
  ) {
    // A MultiBar (holding one bar) because only it can print messages above the bar without tearing it.
    this.bars = new cliProgress.MultiBar({
      stream,
      // {stepsPerSecond} and {timeLeft} come from SpeedEstimate, so the bar and the plain lines agree.
      format: '{bar} {percentage}% | step {value}/{total} | {stepsPerSecond} step/s | ETA {timeLeft} | {losses}',
      barsize: 24,
      // A cursor hidden by the bar would stay hidden if training crashed before stop().
      hideCursor: false,
      autopadding: true,
    }, cliProgress.Presets.shades_classic);
    this.bar = this.bars.create(totalSteps, startStep, { stepsPerSecond: '-', timeLeft: '-', losses: '' });
  }

  update(step: number, losses: Scalars): void {
    this.speed.record(step);
    this.bar.update(step, {
      stepsPerSecond: formatRate(this.speed.stepsPerSecond()),
      timeLeft: formatEta(this.speed.secondsLeft(this.totalSteps)),
      losses: formatLosses(losses),
    });
  }

  message(text: string): void {
    this.bars.log(`${text}\n`);
    this.bars.update();
  }

  stop(): void {
    this.bars.stop();
  }
}

class ProgressLines implements TrainingProgress {
  private lastStep: number | null = null;
  private lastLosses: Scalars = {};
  private lastPrintedStep: number | null = null;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly totalSteps: number,
    private readonly logEvery: number,
    private readonly speed: SpeedEstimate,
  ) {}

  update(step: number, losses: Scalars): void {
    this.speed.record(step);
    this.lastStep = step;
    this.lastLosses = losses;
    if (step % this.logEvery === 0 || step === this.totalSteps) this.printStatus();
  }

  message(text: string): void {
    this.stream.write(`${text}\n`);
  }

  /** Ends with the final step's line if the schedule skipped it (a run stopped early). */
  stop(): void {
    if (this.lastStep !== null && this.lastPrintedStep !== this.lastStep) this.printStatus();
  }

  private printStatus(): void {
    const step = this.lastStep!;
    const percent = this.totalSteps > 0 ? Math.floor((100 * step) / this.totalSteps) : 100;
    const losses = formatLosses(this.lastLosses);
    const parts = [
      `step ${step}/${this.totalSteps} (${percent}%)`,
      `${formatRate(this.speed.stepsPerSecond())} step/s`,
      `ETA ${formatEta(this.speed.secondsLeft(this.totalSteps))}`,
      ...(losses ? [losses] : []),
    ];
    this.stream.write(`${parts.join(' | ')}\n`);
    this.lastPrintedStep = step;
  }
}

/** Steps per second over the recent past (the first steps of a run are slower: compilation, warm-up). */
class SpeedEstimate {
  private readonly samples: { step: number; ms: number }[];
  private static readonly WINDOW = 50;

  constructor(
    startStep: number,
    private readonly now: () => number,
  ) {
    this.samples = [{ step: startStep, ms: now() }];
  }

  record(step: number): void {
    this.samples.push({ step, ms: this.now() });
    if (this.samples.length > SpeedEstimate.WINDOW) this.samples.shift();
  }

  stepsPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.ms - first.ms) / 1000;
    return seconds > 0 && last.step > first.step ? (last.step - first.step) / seconds : null;
  }

  secondsLeft(totalSteps: number): number | null {
    const rate = this.stepsPerSecond();
    const last = this.samples[this.samples.length - 1];
    return rate === null ? null : Math.max(0, totalSteps - last.step) / rate;
  }
}

function formatRate(rate: number | null): string {
  if (rate === null) return '-';
  return rate >= 10 ? rate.toFixed(0) : rate >= 1 ? rate.toFixed(1) : rate.toFixed(2);
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

function formatLosses(losses: Scalars): string {
  return Object.entries(losses)
    .map(([name, value]) => `${name} ${Number.isFinite(value) ? Number(value.toPrecision(4)) : value}`)
    .join(' ');
}

// metrics.jsonl: one JSON object per logged step, appended as training goes. Each line goes to the
// kernel with a single write as soon as it is logged (no user-space buffer), so a killed process loses at
// most the line being written; the reader drops such a truncated last line.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readSync, fstatSync } from 'node:fs';
import { writeAll, writeFileAtomic } from './atomic-write.js';
import { UserError } from '../../errors.js';
import { readRegularTextFile, withFileErrors } from '../../files.js';

/** Named scalars, e.g. losses `{ D: 0.61, G: 1.2 }` or gradient norms `{ D_real: 0.9, D_fake: 1.1 }`. */
export type Scalars = Record<string, number>;

/** One line of metrics.jsonl; the field names are the file's keys. */
export interface MetricsEntry {
  step: number;
  /** Wall-clock time the entry was logged, ISO 8601 (UTC). */
  time: string;
  losses: Scalars;
  /** Every built-in term the D step computed (gp, r1, R, ...), by the registry's name. */
  terms: Scalars;
  /** Each regularizer's value (what it adds to D's loss), by `reg <formula>`. */
  regularizers: Scalars;
  /** Each windowed term (R_t), by name, with its regularizer's number where several have one. */
  windowed: Scalars;
  grad_norms: Scalars;
  /** Wall time of the training iteration in milliseconds. */
  step_ms: number;
  /** Quality metrics (e.g. `modes`, `fd_lenet`), only on steps where they were evaluated. */
  quality?: Scalars;
}

/** What the training loop logs; `time` is filled in when omitted. */
export type MetricsInput = Omit<MetricsEntry, 'time'> & { time?: string };

export class MetricsLogError extends UserError {}

/** A line is about 1 KB; a million logged steps fit. More is not a metrics log ganc wrote. */
const MAX_METRICS_BYTES = 2 ** 30;

/**
 * JSON has no NaN or Infinity, and a NaN loss is exactly what a person needs to see, so non-finite
 * numbers are written as the strings "NaN", "Infinity", "-Infinity" and turned back into numbers on read.
 */
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function encodeMetricsLine(entry: MetricsEntry): string {
  return `${JSON.stringify(entry, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value))}\n`;
}

/** Throws on anything but a JSON object with a numeric step. */
function decodeMetricsLine(line: string): MetricsEntry {
  const value = JSON.parse(line, (_key, v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v));
  if (typeof value !== 'object' || value === null || typeof value.step !== 'number') throw new Error('not an entry');
  return fromFirstLayout(value);
}

/**
 * Entries written before regularizers and windowed terms had groups of their own kept `reg <formula>`
 * in `terms` and R, R_t at the top level; they read as the current layout.
 */
function fromFirstLayout(entry: MetricsEntry & { R?: number; R_t?: number }): MetricsEntry {
  if (entry.regularizers !== undefined) return entry;
  const { R, R_t, ...rest } = entry;
  const terms: Scalars = {};
  const regularizers: Scalars = {};
  for (const [key, v] of Object.entries(entry.terms ?? {})) (key.startsWith('reg ') ? regularizers : terms)[key] = v;
  if (R !== undefined) terms.R = R;
  return { ...rest, terms, regularizers, windowed: R_t === undefined ? {} : { R_t } };
}

export class MetricsLog {
  private constructor(
    readonly path: string,
    private fd: number | null,
  ) {}

  /**
   * Opens `path` for appending (creating it). A truncated last line left by a killed run is cut off
   * first; otherwise the next entry would be glued onto it and corrupt a line in the middle.
   */
  static open(path: string): MetricsLog {
    const fd = withFileErrors(path, 'open the metrics log', () => openSync(path, 'a+'));
    try {
      withFileErrors(path, 'open the metrics log', () => cutPartialLastLine(fd));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return new MetricsLog(path, fd);
  }

  append(input: MetricsInput): MetricsEntry {
    // Appending after close is a bug in the caller, not a damaged file: an internal error.
    if (this.fd === null) throw new Error(`${this.path}: metrics log appended to after close`);
    const entry: MetricsEntry = { ...input, time: input.time ?? new Date().toISOString() };
    const fd = this.fd;
    withFileErrors(this.path, 'append to the metrics log', () => writeAll(fd, Buffer.from(encodeMetricsLine(entry), 'utf8')));
    return entry;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      withFileErrors(this.path, 'write the metrics log', () => fsyncSync(fd));
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * All complete entries of a metrics file; a missing file (a run that has not logged yet) reads as none.
 * A truncated last line is dropped; a malformed line anywhere else is an error naming file and line.
 */
export function readMetrics(path: string): MetricsEntry[] {
  if (!existsSync(path)) return [];
  const lines = readRegularTextFile(path, MAX_METRICS_BYTES, 'metrics log').split('\n');
  const entries: MetricsEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    try {
      entries.push(decodeMetricsLine(lines[i]));
    } catch {
      const isUnterminatedLast = i === lines.length - 1;
      if (isUnterminatedLast) break;
      throw new MetricsLogError('not a JSON metrics entry', { file: path, line: i + 1 });
    }
  }
  return entries;
}

/** On resume from a checkpoint at `step`: drop entries logged after it (they will be logged again). */
export function truncateMetricsAfterStep(path: string, step: number): void {
  const kept = readMetrics(path).filter((entry) => entry.step <= step);
  writeFileAtomic(path, kept.map(encodeMetricsLine).join(''));
}

function cutPartialLastLine(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const chunk = Buffer.alloc(Math.min(size, 1 << 16));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const lastNewline = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (lastNewline >= 0) {
      const keep = start + lastNewline + 1;
      if (keep !== size) ftruncateSync(fd, keep);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
}

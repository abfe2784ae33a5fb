// Creates `runs/<name>-<YYYYMMDD-HHMMSS>/` with its initial files. The directory is assembled under a
// hidden temporary sibling and renamed into place only when complete, so bad input (or a crash) never
// leaves a half-written run directory where people and `--resume` look for runs.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

export const SPEC_FILE = 'spec.gan';
export const IR_FILE = 'ir.json';
export const METRICS_FILE = 'metrics.jsonl';
export const REPORT_FILE = 'report.html';
/** What ran the run: version, command line, backend, threads, host (run-info.ts). */
export const RUN_INFO_FILE = 'run.json';
export const SAMPLES_DIR = 'samples';
export const CHECKPOINTS_DIR = 'checkpoints';

export interface RunDirInitialFiles {
  /** The spec that runs: as the user wrote it, or with command-line overrides written in (ganc train). */
  specText: string;
  /** The checked IR; written as pretty-printed JSON. */
  ir: unknown;
  /** run.json's content, when the caller records one. */
  runInfo?: unknown;
}

export interface CreateRunDirOptions {
  /** Start time used in the directory name (UTC); defaults to now. */
  startedAt?: Date;
}

export class RunDirError extends UserError {}

/** A name that is one safe path component: no separators, no leading dot. */
const RUN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Returns the path of the new run directory. */
export function createRunDir(outRoot: string, name: string, files: RunDirInitialFiles, options: CreateRunDirOptions = {}): string {
  if (!RUN_NAME.test(name)) {
    throw new RunDirError(`run name '${name}' must be letters, digits, '_', '-' or '.', and not start with '.'`);
  }
  const base = `${name}-${formatRunTimestamp(options.startedAt ?? new Date())}`;
  try {
    mkdirSync(outRoot, { recursive: true });
  } catch (e) {
    throw new RunDirError(`${outRoot}: cannot create the runs folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const temp = join(outRoot, `.${base}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    mkdirSync(temp);
    mkdirSync(join(temp, SAMPLES_DIR));
    mkdirSync(join(temp, CHECKPOINTS_DIR));
    writeFileSync(join(temp, SPEC_FILE), files.specText, 'utf8');
    writeFileSync(join(temp, IR_FILE), `${JSON.stringify(files.ir, null, 2)}\n`, 'utf8');
    if (files.runInfo !== undefined) writeFileSync(join(temp, RUN_INFO_FILE), `${JSON.stringify(files.runInfo, null, 2)}\n`, 'utf8');
    return renameIntoFreeName(temp, outRoot, base);
  } catch (e) {
    try {
      rmSync(temp, { recursive: true, force: true });
    } catch {
      // The temporary name itself may be what failed (ENAMETOOLONG): the first error is the one to report.
    }
    if (e instanceof RunDirError) throw e;
    throw new RunDirError(`${outRoot}: cannot create run directory ${base} (${describe(e)})`);
  }
}

/** `YYYYMMDD-HHMMSS` in UTC, so names sort by start time and do not depend on the machine's time zone. */
export function formatRunTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}-` +
    `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`
  );
}

/**
 * rename(2) refuses to replace a non-empty directory, and a run directory is never empty, so a failed
 * rename means another run took the name first (same name, same second): try `-2`, `-3`, ...
 */
function renameIntoFreeName(temp: string, outRoot: string, base: string): string {
  for (let attempt = 1; attempt <= 1000; attempt++) {
    const target = join(outRoot, attempt === 1 ? base : `${base}-${attempt}`);
    try {
      renameSync(temp, target);
      return target;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
    }
  }
  throw new RunDirError(`${outRoot}: more than 1000 runs named ${base}`);
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

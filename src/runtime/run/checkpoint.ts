// Checkpoints: one safetensors file per step, `checkpoints/step-NNNNNN.safetensors`, holding every tensor
// (G, D, EMA-G, optimizer state: the caller names them) and, in the safetensors metadata, the step, the
// non-tensor training state as JSON and a SHA-256 of the tensors. One file per checkpoint means one
// atomic rename makes it visible; `checkpoints/latest` (a one-line text file naming the newest file) is
// replaced atomically after it. A kill at any moment therefore leaves `latest` naming a complete file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type TensorMap } from '../safetensors.js';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-write.js';
import { CHECKPOINTS_DIR } from './run-dir.js';
import { UserError } from '../../errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Training state that is not a tensor, e.g. `{ rng: RngState, regWindows: { R_t: [..] }, dataEpoch: 3 }`.
 * Stored as JSON, so numbers must be finite (they come back bit-identical).
 */
export type CheckpointState = { [key: string]: JsonValue };

export interface CheckpointContents {
  tensors: TensorMap;
  state: CheckpointState;
}

export interface LoadedCheckpoint extends CheckpointContents {
  step: number;
  /** The checkpoint file that was read. */
  path: string;
}

export interface SaveCheckpointOptions {
  /** How many checkpoints to keep, newest first (default 3; at least 1). */
  keep?: number;
}

export class CheckpointError extends UserError {}

export const LATEST_POINTER = 'latest';
const FORMAT = 'ganc-checkpoint-1';
const CHECKPOINT_FILE = /^step-(\d+)\.safetensors$/;

export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(6, '0')}.safetensors`;
}

/** Writes the checkpoint for `step`, points `latest` at it, then prunes old ones. Returns its path. */
export function saveCheckpoint(runDir: string, step: number, contents: CheckpointContents, options: SaveCheckpointOptions = {}): string {
  const keep = options.keep ?? 3;
  if (!Number.isInteger(step) || step < 0) throw new CheckpointError(`checkpoint step must be a non-negative integer, got ${step}`);
  if (!Number.isInteger(keep) || keep < 1) throw new CheckpointError(`checkpoints to keep must be at least 1, got ${keep}`);
  assertFiniteTensors(contents.tensors, step);
  const stateJson = JSON.stringify(contents.state, (key, value) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new CheckpointError(`checkpoint state '${key}' is ${value} at step ${step}; not saved`);
    }
    return value;
  });
  const metadata = { format: FORMAT, step: String(step), state: stateJson, sha256: tensorDigest(contents.tensors) };
  let bytes: Buffer;
  try {
    bytes = encodeSafetensors(contents.tensors, metadata);
  } catch (e) {
    throw new CheckpointError(`checkpoint at step ${step}: ${(e as Error).message}`);
  }
  const dir = join(runDir, CHECKPOINTS_DIR);
  const file = checkpointFileName(step);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, file), bytes);
  writeFileAtomic(join(dir, LATEST_POINTER), `${file}\n`);
  pruneCheckpoints(dir, step, keep);
  return join(dir, file);
}

/** The checkpoint `latest` names; a CheckpointError naming the file when it is missing or corrupt. */
export function loadLatestCheckpoint(runDir: string): LoadedCheckpoint {
  const dir = join(runDir, CHECKPOINTS_DIR);
  const pointer = join(dir, LATEST_POINTER);
  if (existsSync(pointer)) {
    const file = readFileSync(pointer, 'utf8').trim();
    if (!CHECKPOINT_FILE.test(file)) throw new CheckpointError(`${pointer}: does not name a checkpoint file`);
    const path = join(dir, file);
    if (!existsSync(path)) throw new CheckpointError(`${path}: missing (named by ${pointer})`);
    return loadCheckpoint(path);
  }
  // Only a kill between the very first checkpoint's rename and its pointer write leaves files but no pointer.
  const newest = listCheckpoints(dir).at(-1);
  if (!newest) throw new CheckpointError(`${dir}: no checkpoint found`);
  return loadCheckpoint(join(dir, newest.file));
}

export function loadCheckpoint(path: string): LoadedCheckpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let file: ReturnType<typeof decodeSafetensors>;
  try {
    file = decodeSafetensors(bytes, path);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(e.message);
    throw e;
  }
  const { format, step, state, sha256 } = file.metadata;
  if (format !== FORMAT || step === undefined || state === undefined || sha256 === undefined) {
    throw new CheckpointError(`${path}: not a ganc checkpoint (metadata lacks format, step, state or checksum)`);
  }
  if (tensorDigest(file.tensors) !== sha256) throw new CheckpointError(`${path}: corrupt (tensor data does not match its checksum)`);
  let parsedState: unknown;
  try {
    parsedState = JSON.parse(state);
  } catch {
    parsedState = null;
  }
  if (typeof parsedState !== 'object' || parsedState === null || Array.isArray(parsedState)) {
    throw new CheckpointError(`${path}: corrupt (training state is not a JSON object)`);
  }
  return { step: Number(step), tensors: file.tensors, state: parsedState as CheckpointState, path };
}

/** Checkpoint files in a checkpoints folder, oldest step first. */
export function listCheckpoints(dir: string): { step: number; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((file) => ({ file, match: CHECKPOINT_FILE.exec(file) }))
    .filter((entry) => entry.match !== null)
    .map(({ file, match }) => ({ step: Number(match![1]), file }))
    .sort((a, b) => a.step - b.step);
}

/** Saving NaN/Inf would overwrite the last good checkpoint with a useless one. */
function assertFiniteTensors(tensors: TensorMap, step: number): void {
  for (const [name, { data }] of Object.entries(tensors)) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new CheckpointError(`tensor '${name}' holds ${data[i]} at step ${step}; checkpoint not saved`);
    }
  }
}

/** SHA-256 over names, shapes and bytes in name order (the order the file stores them). */
function tensorDigest(tensors: TensorMap): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(tensors).sort()) {
    const { shape, data } = tensors[name];
    hash.update(`${name}:${shape.join('x')};`);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

/**
 * Keeps the `keep` newest checkpoints up to `currentStep`. Checkpoints past it belong to a run that was
 * resumed from an earlier step and are dropped, like the metrics after it. Temporary files are leftovers of
 * killed writers (a run directory has one writer).
 */
function pruneCheckpoints(dir: string, currentStep: number, keep: number): void {
  const upToCurrent = listCheckpoints(dir).filter((c) => c.step <= currentStep);
  const stale = [...upToCurrent.slice(0, Math.max(0, upToCurrent.length - keep)), ...listCheckpoints(dir).filter((c) => c.step > currentStep)];
  for (const { file } of stale) rmSync(join(dir, file), { force: true });
  for (const file of readdirSync(dir)) if (file.endsWith(TEMP_SUFFIX)) rmSync(join(dir, file), { force: true });
}

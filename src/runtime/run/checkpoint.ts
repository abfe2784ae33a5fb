// Checkpoints: one safetensors file per step, `checkpoints/step-NNNNNN.safetensors`, holding every tensor
// (G, D, EMA-G, optimizer state: the caller names them) and, in the safetensors metadata, the step, the
// non-tensor training state as JSON and a SHA-256 over all of them (format 2; format 1 files, whose
// checksum covered the tensors only, are still read). One file per checkpoint means one atomic rename
// makes it visible; `checkpoints/latest` (a one-line text file naming the newest file) is replaced
// atomically after it. A kill at any moment therefore leaves `latest` naming a complete file.
// Reading checks what no checksum can (a file edited and re-summed on purpose): the metadata's types,
// every value finite; what the tensors must be for a given spec is checkpoint-state.ts's part.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors, readSafetensors, SafetensorsError, type TensorMap } from '../safetensors.js';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-write.js';
import { CHECKPOINTS_DIR } from './run-dir.js';
import { UserError } from '../../errors.js';
import { asFileError, FileError, readRegularTextFile, withFileErrors } from '../../files.js';

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
/** Format 2: the checksum covers format, step and state as well as the tensors. */
const FORMAT = 'ganc-checkpoint-2';
const FORMAT_TENSORS_ONLY_CHECKSUM = 'ganc-checkpoint-1';
const CHECKPOINT_FILE = /^step-(\d+)\.safetensors$/;
/** `latest` holds one file name; anything longer is not a pointer ganc wrote. */
const MAX_POINTER_BYTES = 4096;

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
  let bytes: Buffer;
  try {
    bytes = encodeCheckpointFile(String(step), stateJson, contents.tensors);
  } catch (e) {
    throw new CheckpointError(`checkpoint at step ${step}: ${(e as Error).message}`);
  }
  const dir = join(runDir, CHECKPOINTS_DIR);
  const file = checkpointFileName(step);
  // Not recursive: a run directory deleted or moved during training must not be recreated here.
  if (!existsSync(runDir)) throw new FileError('cannot save the checkpoint: the run directory is gone (deleted or moved during training?)', runDir, 'ENOENT');
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw asFileError(e, dir, 'create the checkpoints folder');
  }
  writeFileAtomic(join(dir, file), bytes);
  writeFileAtomic(join(dir, LATEST_POINTER), `${file}\n`);
  withFileErrors(dir, 'remove old checkpoints', () => pruneCheckpoints(dir, step, keep));
  return join(dir, file);
}

/**
 * A checkpoint file's bytes with its checksum, for any step text, state JSON and tensors: what
 * saveCheckpoint writes, without its checks. The checksum guards against damage, not against an edit
 * (anyone can recompute it), which is why loading checks the contents as well.
 */
export function encodeCheckpointFile(step: string, stateJson: string, tensors: TensorMap): Buffer {
  return encodeSafetensors(tensors, { format: FORMAT, step, state: stateJson, sha256: checkpointDigest(FORMAT, step, stateJson, tensors) });
}

/** The checkpoint `latest` names; a CheckpointError naming the file when it is missing or corrupt. */
export function loadLatestCheckpoint(runDir: string): LoadedCheckpoint {
  const dir = join(runDir, CHECKPOINTS_DIR);
  const pointer = join(dir, LATEST_POINTER);
  if (existsSync(pointer)) {
    const file = readPointer(pointer);
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

function readPointer(pointer: string): string {
  try {
    return readRegularTextFile(pointer, MAX_POINTER_BYTES, 'checkpoint pointer').trim();
  } catch (e) {
    if (e instanceof FileError) throw new CheckpointError(e.message);
    throw e;
  }
}

/**
 * Reads and checks one checkpoint file: a regular safetensors file (read within bounds), ganc's
 * metadata, a checksum that matches, a step that is a whole number, a state that is a JSON object,
 * and no NaN or infinity in any tensor (which no checkpoint ganc wrote holds).
 */
export function loadCheckpoint(path: string): LoadedCheckpoint {
  let file: ReturnType<typeof readSafetensors>;
  try {
    file = readSafetensors(path, 'checkpoint');
  } catch (e) {
    if (e instanceof SafetensorsError || e instanceof FileError) throw new CheckpointError(e.message);
    throw e;
  }
  const { format, step, state, sha256 } = file.metadata;
  if ((format !== FORMAT && format !== FORMAT_TENSORS_ONLY_CHECKSUM) || step === undefined || state === undefined || sha256 === undefined) {
    throw new CheckpointError(`${path}: not a ganc checkpoint (metadata lacks format, step, state or checksum)`);
  }
  const digest = format === FORMAT ? checkpointDigest(format, step, state, file.tensors) : tensorDigest(file.tensors);
  if (digest !== sha256) {
    throw new CheckpointError(`${path}: corrupt (${format === FORMAT ? 'tensors or state do' : 'tensor data does'} not match its checksum)`);
  }
  if (!/^\d{1,15}$/.test(step)) throw new CheckpointError(`${path}: corrupt (step '${step}' is not a whole number)`);
  let parsedState: unknown;
  try {
    parsedState = JSON.parse(state);
  } catch {
    parsedState = null;
  }
  if (typeof parsedState !== 'object' || parsedState === null || Array.isArray(parsedState)) {
    throw new CheckpointError(`${path}: corrupt (training state is not a JSON object)`);
  }
  assertFiniteLoaded(path, file.tensors);
  return { step: Number(step), tensors: file.tensors, state: parsedState as CheckpointState, path };
}

/** Saving refuses NaN/Inf, so a checkpoint holding one was damaged or edited: its weights would sample garbage. */
function assertFiniteLoaded(path: string, tensors: TensorMap): void {
  for (const name of Object.keys(tensors).sort()) {
    const { data } = tensors[name];
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new CheckpointError(`${path}: tensor '${name}' holds ${data[i]}; a checkpoint never does (damaged or edited file)`);
    }
  }
}

/** Checkpoint files in a checkpoints folder, oldest step first. */
export function listCheckpoints(dir: string): { step: number; file: string }[] {
  if (!existsSync(dir)) return [];
  return withFileErrors(dir, 'list the checkpoints', () => readdirSync(dir))
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
  return hashTensors(createHash('sha256'), tensors).digest('hex');
}

/** Format 2's checksum: format, step and state JSON (each length-prefixed, so no two splits collide), then the tensors. */
function checkpointDigest(format: string, step: string, stateJson: string, tensors: TensorMap): string {
  const hash = createHash('sha256');
  for (const field of [format, step, stateJson]) hash.update(`${Buffer.byteLength(field)}:${field};`);
  return hashTensors(hash, tensors).digest('hex');
}

function hashTensors(hash: ReturnType<typeof createHash>, tensors: TensorMap): ReturnType<typeof createHash> {
  for (const name of Object.keys(tensors).sort()) {
    const { shape, data } = tensors[name];
    hash.update(`${name}:${shape.join('x')};`);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash;
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

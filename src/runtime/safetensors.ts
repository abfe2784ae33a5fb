// The safetensors file format (8-byte little-endian header length, JSON header, raw little-endian data),
// for float32 tensors: ganc's parameter, batch, checkpoint and probe files. Written by hand because the
// format is ~40 lines and the npm packages for it target the browser or pull in heavy dependencies.
// Reading trusts nothing in the file: the header is size-capped and validated entry by entry (dtype,
// shape, offsets that tile the data section exactly, as the reference implementation requires), and
// only a regular file is read, after its size is known.
import { closeSync } from 'node:fs';
import { UserError } from '../errors.js';
import { openRegularFile, readExactly } from '../files.js';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}
export type TensorMap = Record<string, NamedTensor>;

export interface SafetensorsFile {
  tensors: TensorMap;
  metadata: Record<string, string>;
}

export class SafetensorsError extends UserError {}

/** ganc's headers are a few kilobytes; the reference reader refuses more than 100 MB. */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** One tensor's element count must fit a typed array (V8's limit is 2³² − 1 elements; stay well below). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

const DTYPE_WIDTH: Record<string, number> = { F32: 4, F64: 8 };

export function encodeSafetensors(tensors: TensorMap, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const { shape, data } = tensors[name];
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new SafetensorsError(`tensor '${name}': shape [${shape}] holds ${count} values, data has ${data.length}`);
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  // The data section must start 8-byte aligned; pad the header with spaces as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors[name];
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, at);
    at += data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: 'F32' | 'F64';
  shape: number[];
  begin: number;
  end: number;
}

interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Bytes the data section must have: the entries' offsets tile [0, dataLength) exactly. */
  dataLength: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The header length in the first 8 bytes, checked against the cap and the file's size before any allocation. */
function headerLength(first8: Buffer, fileSize: number, where: string): number {
  if (fileSize < 8) throw new SafetensorsError(`${where}: file too short to be safetensors`);
  const length = first8.readBigUInt64LE(0);
  if (length > BigInt(fileSize - 8)) throw new SafetensorsError(`${where}: header length ${length} exceeds the file`);
  if (length > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(`${where}: header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  return Number(length);
}

function parseHeader(bytes: Buffer, where: string): ParsedHeader {
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SafetensorsError(`${where}: header is not valid JSON`);
  }
  if (!isPlainObject(header)) throw new SafetensorsError(`${where}: header is not a JSON object`);
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(entry) || !Object.values(entry).every((v) => typeof v === 'string')) {
        throw new SafetensorsError(`${where}: __metadata__ must be an object of strings`);
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    // A tensor map is a plain object: this name would replace its prototype instead of adding a tensor.
    if (name === '__proto__') throw new SafetensorsError(`${where}: a tensor may not be named '__proto__'`);
    entries.push(parseEntry(name, entry, where));
  }
  // The offsets must tile the data section: no overlap (one byte read as two tensors), no hole.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of byOffset) {
    if (e.begin !== at) {
      throw new SafetensorsError(`${where}: tensor '${e.name}' starts at byte ${e.begin} of the data, expected ${at} (overlapping or gapped offsets)`);
    }
    at = e.end;
  }
  return { entries, metadata, dataLength: at };
}

function parseEntry(name: string, entry: unknown, where: string): HeaderEntry {
  const malformed = (why: string) => new SafetensorsError(`${where}: tensor '${name}' ${why}`);
  if (!isPlainObject(entry)) throw malformed('has a malformed header entry');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_WIDTH)) {
    throw malformed(`has dtype ${JSON.stringify(dtype) ?? 'undefined'}; only F32 and F64 are supported`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) throw malformed(`has shape ${JSON.stringify(shape) ?? 'undefined'}; dimensions must be whole numbers ≥ 0`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (count > MAX_TENSOR_ELEMENTS) throw malformed(`has shape [${shape}]: ${count} values, more than one tensor may hold`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw malformed('has malformed data_offsets');
  }
  const [begin, end] = offsets as [number, number];
  if (end - begin !== count * DTYPE_WIDTH[dtype]) throw malformed(`data (${end - begin} bytes) does not match its shape [${shape}] (${count} ${dtype} values)`);
  return { name, dtype: dtype as 'F32' | 'F64', shape: shape as number[], begin, end };
}

/** The tensors of a data section laid out as `header` says. */
function tensorsOf(header: ParsedHeader, data: Buffer): TensorMap {
  const tensors: TensorMap = {};
  for (const { name, dtype, shape, begin, end } of header.entries) {
    const copy = new Uint8Array(data.subarray(begin, end)); // aligned copy
    tensors[name] = { shape, data: dtype === 'F32' ? new Float32Array(copy.buffer) : Float32Array.from(new Float64Array(copy.buffer)) };
  }
  return tensors;
}

export function decodeSafetensors(bytes: Buffer, where = 'safetensors'): SafetensorsFile {
  const length = headerLength(bytes.subarray(0, 8), bytes.length, where);
  const header = parseHeader(bytes.subarray(8, 8 + length), where);
  const dataStart = 8 + length;
  if (dataStart + header.dataLength !== bytes.length) {
    throw new SafetensorsError(`${where}: the tensors take ${header.dataLength} bytes but the file has ${bytes.length - dataStart} after the header (truncated or padded)`);
  }
  return { tensors: tensorsOf(header, bytes.subarray(dataStart)), metadata: header.metadata };
}

/**
 * Reads a safetensors file in three bounded steps: the header length (checked against the cap and the
 * file's size), the header (validated), then exactly the data it describes.
 */
export function readSafetensors(path: string, what = 'safetensors file'): SafetensorsFile {
  const { fd, size } = openRegularFile(path, what);
  try {
    const length = headerLength(readExactly(fd, path, 0, Math.min(8, size), what), size, path);
    const header = parseHeader(readExactly(fd, path, 8, length, what), path);
    const dataStart = 8 + length;
    if (dataStart + header.dataLength !== size) {
      throw new SafetensorsError(`${path}: the tensors take ${header.dataLength} bytes but the file has ${size - dataStart} after the header (truncated or padded)`);
    }
    return { tensors: tensorsOf(header, readExactly(fd, path, dataStart, header.dataLength, what)), metadata: header.metadata };
  } finally {
    closeSync(fd);
  }
}

// The safetensors file format (8-byte little-endian header length, JSON header, raw little-endian data),
// for float32 tensors: ganc's parameter, batch, checkpoint and probe files. Written by hand because the
// format is ~40 lines and the npm packages for it target the browser or pull in heavy dependencies.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

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

export function decodeSafetensors(bytes: Buffer, where = 'safetensors'): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(`${where}: file too short to be safetensors`);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (headerLength > bytes.length - 8) throw new SafetensorsError(`${where}: header length ${headerLength} exceeds the file`);
  let header: Record<string, any>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  } catch {
    throw new SafetensorsError(`${where}: header is not valid JSON`);
  }
  const dataStart = 8 + headerLength;
  const tensors: TensorMap = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = entry ?? {};
    if (dtype !== 'F32' && dtype !== 'F64') throw new SafetensorsError(`${where}: tensor '${name}' has dtype ${dtype}; only F32 and F64 are supported`);
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw new SafetensorsError(`${where}: tensor '${name}' has a malformed header entry`);
    }
    const [begin, end] = offsets as number[];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const width = dtype === 'F32' ? 4 : 8;
    if (end - begin !== count * width || dataStart + end > bytes.length || begin < 0) {
      throw new SafetensorsError(`${where}: tensor '${name}' data does not match its shape or lies outside the file`);
    }
    const raw = bytes.subarray(dataStart + begin, dataStart + end);
    const copy = new Uint8Array(raw); // aligned copy
    const data = dtype === 'F32' ? new Float32Array(copy.buffer) : Float32Array.from(new Float64Array(copy.buffer));
    tensors[name] = { shape: shape as number[], data };
  }
  return { tensors, metadata };
}

export function readSafetensors(path: string): SafetensorsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SafetensorsError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return decodeSafetensors(bytes, path);
}

// Validation of IR JSON against ir.schema.json (ajv, compiled once). `loadIR` is how the runtime
// reads an ir.json: it either returns a GanIR or throws an IRValidationError listing what is wrong.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { IR_VERSION, type GanIR } from './ir.js';

// Read at run time (not imported) so the compiled dist/ needs no JSON-module support.
const schema = JSON.parse(readFileSync(new URL('./ir.schema.json', import.meta.url), 'utf8')) as object;
const validateIR = new Ajv({ allErrors: true, strict: true }).compile<GanIR>(schema);

export class IRValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid IR: ${problems.join('; ')}`);
    this.name = 'IRValidationError';
  }
}

/**
 * The schema's complaints, one line each (`/data/batch: must be >= 1`); empty when the value is valid IR.
 * An IR of another version is that one problem: listing how every field differs would bury it.
 */
export function irProblems(value: unknown): string[] {
  const version = typeof value === 'object' && value !== null ? (value as { irVersion?: unknown }).irVersion : undefined;
  if (version !== IR_VERSION) {
    return [`/irVersion: ${JSON.stringify(version) ?? 'missing'}, but this ganc reads IR version ${IR_VERSION} `
      + '(a run made by another version of ganc: train it again with this one)'];
  }
  if (validateIR(value)) return [];
  return (validateIR.errors ?? []).map(describe);
}

/** Parses (when given text) and validates an IR document. */
export function loadIR(json: string | unknown): GanIR {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new IRValidationError([`not JSON: ${(e as Error).message}`]);
    }
  }
  const problems = irProblems(value);
  if (problems.length > 0) throw new IRValidationError(problems);
  return value as GanIR;
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`;
}

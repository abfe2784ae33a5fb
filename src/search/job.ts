// The queue's contract: a job is a versioned JSON document (job.schema.json) holding one trial, checked
// by the worker before anything runs; a result is checked by the coordinator before it is recorded.
// Anyone who can write to the Redis server can push a job, so a worker treats a job as untrusted input:
// schema (ids that are safe path components, bounded steps, seeds, batch and samples), then, when the
// worker has a shared secret, the HMAC signature that proves the coordinator wrote it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';
import { trialId, type Trial, type TrialResult } from './trial.js';

export const JOB_VERSION = 1;

/** The bounds job.schema.json enforces (a test holds the two together); `ganc search` refuses options beyond them. */
export const JOB_LIMITS = {
  maxSteps: 1_000_000,
  maxSeed: 2 ** 31 - 1,
  maxBatch: 4096,
  minEvalSamples: 10,
  maxEvalSamples: 50_000,
  maxRung: 63,
  maxSpecChars: 262_144,
  maxSpecFileChars: 4096,
  /** Longest error text a worker sends back (the coordinator refuses longer). */
  maxErrorChars: 2000,
} as const;

/** The shared secret's environment variable: when set, the coordinator signs jobs and a worker runs only signed ones. */
export const SECRET_ENV = 'GANC_JOB_SECRET';
const MIN_SECRET_CHARS = 16;

export interface TrialJob {
  version: typeof JOB_VERSION;
  searchId: string;
  trial: Trial;
  /** HMAC-SHA256 (hex) of the canonical JSON of the rest, under the shared secret. */
  signature?: string;
}

// Read at run time (not imported) so the compiled dist/ needs no JSON-module support.
export const JOB_SCHEMA = JSON.parse(readFileSync(new URL('./job.schema.json', import.meta.url), 'utf8')) as {
  $id: string; definitions: Record<string, { pattern?: string; properties?: Record<string, { maxLength?: number }> }>;
};
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addSchema(JOB_SCHEMA);
const validateJob = ajv.getSchema(JOB_SCHEMA.$id) as ValidateFunction<TrialJob>;
const validateResult = ajv.getSchema(`${JOB_SCHEMA.$id}#/definitions/result`) as ValidateFunction<TrialResult>;

/** The shared secret from the environment, or undefined when none is set. */
export function jobSecret(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const secret = env[SECRET_ENV];
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < MIN_SECRET_CHARS) throw new UserError(`${SECRET_ENV} is too short: at least ${MIN_SECRET_CHARS} characters`);
  return secret;
}

/** JSON with every object's keys in sorted order: the same value always gives the same text to sign. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function signatureOf(job: Omit<TrialJob, 'signature'>, secret: string): string {
  const { version, searchId, trial } = job;
  return createHmac('sha256', secret).update(canonicalJson({ version, searchId, trial })).digest('hex');
}

export function makeJob(searchId: string, trial: Trial, secret?: string): TrialJob {
  const job: TrialJob = { version: JOB_VERSION, searchId, trial };
  if (secret !== undefined) job.signature = signatureOf(job, secret);
  return job;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const shown = (errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  const more = (errors?.length ?? 0) > 3 ? ` (and ${errors!.length - 3} more)` : '';
  return escapeControl(shown.join('; ') + more);
}

/** Why a job is refused: one line, fit to show in a log and in the coordinator's output. */
export type JobCheck = { ok: true; job: TrialJob } | { ok: false; reason: string };

/**
 * Checks a job document: its schema, the trial id against the trial's own fields, and (when this
 * side has a secret) its signature. Never throws.
 */
export function checkJob(data: unknown, secret?: string): JobCheck {
  if (!validateJob(data)) return { ok: false, reason: `not a version ${JOB_VERSION} job: ${describe(validateJob.errors)}` };
  const { trial } = data;
  const expected = trialId(trial.variantId, trial.steps, trial.seed);
  if (trial.id !== expected) return { ok: false, reason: `trial id '${trial.id}' does not match its fields (expected '${expected}')` };
  if (secret !== undefined) {
    if (data.signature === undefined) return { ok: false, reason: `unsigned job (this worker runs only jobs signed with ${SECRET_ENV})` };
    const want = Buffer.from(signatureOf(data, secret), 'hex');
    if (!timingSafeEqual(want, Buffer.from(data.signature, 'hex'))) return { ok: false, reason: `bad signature (not signed with this worker's ${SECRET_ENV})` };
  }
  return { ok: true, job: data };
}

/**
 * A worker's answer as the coordinator records it: it must match the result schema and be the result
 * of `trial`; anything else becomes a failed result that says why, so a broken or hostile worker can
 * neither crash the search nor file a result under another trial.
 */
export function checkedResult(value: unknown, trial: Trial, failed: (why: string) => TrialResult): TrialResult {
  if (!validateResult(value)) return failed(`the worker's result is invalid: ${describe(validateResult.errors)}`);
  const mismatch = (['trialId', 'variantId', 'rung', 'steps', 'seed'] as const)
    .find((k) => value[k] !== (k === 'trialId' ? trial.id : trial[k]));
  if (mismatch) return failed(`the worker's result is for another trial (${mismatch} ${escapeControl(String(value[mismatch]))})`);
  return value;
}

/** An error text cut to what a result may carry. */
export function boundedError(text: string): string {
  return text.length <= JOB_LIMITS.maxErrorChars ? text : `${text.slice(0, JOB_LIMITS.maxErrorChars - 1)}…`;
}

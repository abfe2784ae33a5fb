// Numerical golden tests: ganc's probe (one D step and one G step from the same parameters, no update)
// against an independent PyTorch implementation computed in float64 from the same float32 inputs
// (scripts/fixtures/make_torch_fixtures.py writes test/fixtures/torch/<case>/). Losses, every logged
// scalar, every trainable parameter's gradient (double and triple backprop included), SN's new u,
// batch-norm running statistics and the R_t window are compared.
//
// Measures, both ≤ 1e-4:
//   scalar: |ganc − torch| / max(|torch|, 1e-6)
//   tensor: max|ganc − torch| / max(max|torch|, 1e-6)   (relative to the tensor's largest entry, so a
//           near-zero entry cannot dominate, while a wrong, missing or extra tensor always fails)
// A gradient that is zero in exact arithmetic (max|torch| < 1e-12: the bias of a layer that batch norm
// follows) holds only float32 rounding noise in ganc; it is measured against the step's largest
// gradient entry instead, i.e. it must be zero to 1e-4 of the step's gradient scale.
// The backend is GANC_TEST_BACKEND (default 'cpu').
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { selectBackend, type BackendName } from '../../src/runtime/backend.js';
import { probe, type ProbeResult, type ProbeStep } from '../../src/runtime/probe.js';
import { decodeSafetensors, type TensorMap } from '../../src/runtime/safetensors.js';

// GANC_TORCH_FIXTURES: another fixture folder (e.g. one written by a deliberately altered reference, to see that it fails)
const FIXTURES = process.env.GANC_TORCH_FIXTURES ?? fileURLToPath(new URL('../fixtures/torch/', import.meta.url));
const BACKEND = (process.env.GANC_TEST_BACKEND ?? 'cpu') as BackendName;
const TOLERANCE = 1e-4;
const FLOOR = 1e-6;
const EXACT_ZERO = 1e-12;

interface ExpectedTensor { shape: number[]; data: number[] }
interface ExpectedStep {
  loss: number;
  scalars: Record<string, number>;
  grads: Record<string, ExpectedTensor>;
  buffers: Record<string, ExpectedTensor>;
}
interface Expected { case: string; d_step: ExpectedStep; g_step: ExpectedStep; windows: Record<string, number[]> }

/** One compared quantity and its relative error (Infinity when missing or of the wrong shape). */
interface Comparison { what: string; error: number }

function scalarError(actual: number | undefined, expected: number): number {
  if (actual === undefined || !Number.isFinite(actual)) return Infinity;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), FLOOR);
}

const largestEntry = (t: ExpectedTensor): number => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** `zeroScale`: what a tensor that is exactly zero in the reference is measured against. */
function tensorError(actual: { shape: number[]; data: ArrayLike<number> } | undefined, expected: ExpectedTensor, zeroScale = FLOOR): number {
  if (!actual || actual.shape.join() !== expected.shape.join() || actual.data.length !== expected.data.length) return Infinity;
  let diff = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(actual.data[i] - expected.data[i]);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
  }
  const largest = largestEntry(expected);
  return diff / (largest < EXACT_ZERO ? Math.max(zeroScale, FLOOR) : Math.max(largest, FLOOR));
}

/** Every expected value against ganc's, plus every tensor ganc has that the reference lacks. */
function compareStep(step: 'd_step' | 'g_step', actual: ProbeStep, expected: ExpectedStep): Comparison[] {
  const out: Comparison[] = [{ what: `${step}.loss`, error: scalarError(actual.loss, expected.loss) }];
  const gradientScale = Math.max(...Object.values(expected.grads).map(largestEntry));
  for (const [name, value] of Object.entries(expected.scalars)) {
    out.push({ what: `${step}.scalars.${name}`, error: scalarError(actual.scalars[name], value) });
  }
  for (const kind of ['grads', 'buffers'] as const) {
    for (const [name, value] of Object.entries(expected[kind])) {
      out.push({ what: `${step}.${kind}.${name}`, error: tensorError(actual[kind][name], value, kind === 'grads' ? gradientScale : FLOOR) });
    }
    for (const name of Object.keys(actual[kind]).filter((n) => !(n in expected[kind]))) {
      out.push({ what: `${step}.${kind}.${name} (not in the reference)`, error: Infinity });
    }
  }
  return out;
}

function compare(actual: ProbeResult, expected: Expected): Comparison[] {
  const windows = Object.entries(expected.windows).map(([index, values]): Comparison => ({
    what: `windows.${index}`,
    error: tensorError(actual.windows[index] && { shape: [actual.windows[index].length], data: actual.windows[index] },
      { shape: [values.length], data: values }),
  }));
  return [...compareStep('d_step', actual.d_step, expected.d_step), ...compareStep('g_step', actual.g_step, expected.g_step), ...windows];
}

const failures = (comparisons: Comparison[]): string[] =>
  comparisons.filter((c) => !(c.error <= TOLERANCE)).map((c) => `${c.what}: relative error ${c.error.toExponential(2)}`);

const read = (dir: string, file: string): TensorMap => decodeSafetensors(readFileSync(join(dir, file)), file).tensors;

async function runCase(name: string): Promise<{ result: ProbeResult; expected: Expected }> {
  const dir = join(FIXTURES, name);
  const file = join(dir, 'spec.gan');
  const { ir, diagnostics } = compileSource(readFileSync(file, 'utf8'), file);
  if (!ir) throw new Error(`${name}: spec.gan does not check: ${JSON.stringify(diagnostics)}`);
  const result = await probe(ir, read(dir, 'params.safetensors'), read(dir, 'batch.safetensors'));
  return { result, expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected };
}

const CASES = readdirSync(FIXTURES).sort();

describe(`ganc against PyTorch (backend ${BACKEND})`, () => {
  beforeAll(async () => {
    await selectBackend(BACKEND);
  });

  it('has the fixture cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('%s: losses, scalars, gradients, buffers and windows', async (name) => {
    const { result, expected } = await runCase(name);
    expect(failures(compare(result, expected))).toEqual([]);
  });

  it('the measure rejects a gradient that is slightly wrong or missing', async () => {
    const { result, expected } = await runCase('conv-gp');
    const [name, grad] = Object.entries(result.d_step.grads)[0];
    const wrong = Float32Array.from(grad.data);
    const largest = wrong.reduce((i, v, j, a) => (Math.abs(v) > Math.abs(a[i]) ? j : i), 0);
    wrong[largest] *= 1 + 1e-3;
    const perturbed = { ...result, d_step: { ...result.d_step, grads: { ...result.d_step.grads, [name]: { ...grad, data: wrong } } } };
    expect(failures(compare(perturbed, expected))).toHaveLength(1);
    const withoutIt = Object.fromEntries(Object.entries(result.d_step.grads).filter(([n]) => n !== name));
    expect(failures(compare({ ...result, d_step: { ...result.d_step, grads: withoutIt } }, expected))).toHaveLength(1);
  });
});

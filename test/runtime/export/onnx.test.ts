// ONNX export: run by ONNX Runtime (onnxruntime-web, its WebAssembly build, from npm; onnxruntime-node's
// install script downloads CUDA libraries from nuget.org on Linux x64, which fails offline), outputs equal
// to ganc's for the same inputs; and, where Debian's python3-onnx is installed, valid by the onnx
// package's full checker with the output shapes shape inference finds.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../src/runtime/export/export-run.js';
import {
  GN_SPEC, SN_SPEC, TOLERANCE, gLossFrom, gancOutputs, makeScratch, maxAbsDiff, removeScratch, spread, trainFixtureRun,
  type FixtureRun, type GancOutputs, type Values,
} from './export-fixture.js';

const CHECK_SCRIPT = join(import.meta.dirname, '../../../scripts/export-check/onnx_check.py');
const PYTHON = '/usr/bin/python3';

/** Why the onnx package's checker cannot run here, or null when it can. */
function onnxCheckerMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found`;
  return r.status === 0 ? null : 'the python onnx package is not installed (Debian: apt-get install python3-onnx)';
}
const checkerMissing = onnxCheckerMissing();
// Shown by the default reporter, which counts a skipped test but not why.
if (checkerMissing) console.warn(`the onnx checker test is skipped: ${checkerMissing}`);

let scratch: string;
let snRun: FixtureRun;
let gnRun: FixtureRun;

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  scratch = makeScratch('onnx');
  snRun = await trainFixtureRun(scratch, SN_SPEC);
  gnRun = await trainFixtureRun(scratch, GN_SPEC);
});
afterAll(() => removeScratch(scratch));

async function runOnnx(file: string, input: string, values: Values): Promise<Values> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const result = await session.run({ [input]: new ort.Tensor('float32', values.data, values.shape) });
  const out = result[session.outputNames[0]];
  return { shape: out.dims.map(Number), data: out.data as Float32Array };
}

function expectClose(label: string, got: Values, want: Values): number {
  expect(got.shape, label).toEqual(want.shape);
  const diff = maxAbsDiff(got.data, want.data);
  console.info(`onnx ${label}: max |Δ| = ${diff.toExponential(2)} (spread ${spread(want.data).toFixed(3)})`);
  expect(diff, label).toBeLessThan(TOLERANCE);
  return diff;
}

describe('ganc export --format onnx', () => {
  it('SN run: G (EMA) and D (W/σ baked, batch statistics) compute what ganc computes', async () => {
    const out = join(scratch, 'sn-onnx');
    const result = exportRun({ runDir: snRun.runDir, format: 'onnx', net: 'both', ema: 'prefer', out });
    expect(result.usesEma).toBe(true);
    expect(result.files).toEqual(['G.onnx', 'D.onnx', 'README.md']);
    const ganc = gancOutputs(snRun, true);
    expect(spread(ganc.G.data)).toBeGreaterThan(1e-2);
    expect(spread(ganc.D.data)).toBeGreaterThan(1e-2);
    expectClose('SN G', await runOnnx(join(out, 'G.onnx'), 'z', ganc.z), ganc.G);
    expectClose('SN D', await runOnnx(join(out, 'D.onnx'), 'x', ganc.x), ganc.D);
    // Independently of how the test builds D: the G step's own loss, from the exported D's outputs.
    const onFake = await runOnnx(join(out, 'D.onnx'), 'x', ganc.fake);
    const lossDiff = Math.abs(gLossFrom(snRun.ir, onFake.data) - ganc.gLoss);
    console.info(`onnx SN D: G-step loss |Δ| = ${lossDiff.toExponential(2)}`);
    expect(lossDiff).toBeLessThan(TOLERANCE);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('Spectral normalisation is baked in');
    expect(readme).toContain("each batch's own statistics");
  });

  it('SN run with --no-ema: G has the raw weights, whose samples differ from the EMA ones', async () => {
    const out = join(scratch, 'sn-onnx-raw');
    expect(exportRun({ runDir: snRun.runDir, format: 'onnx', net: 'G', ema: 'off', out }).usesEma).toBe(false);
    const raw = gancOutputs(snRun, false);
    const g = await runOnnx(join(out, 'G.onnx'), 'z', raw.z);
    expectClose('SN G (raw weights)', g, raw.G);
    expect(maxAbsDiff(g.data, gancOutputs(snRun, true).G.data)).toBeGreaterThan(1e-3);
  });

  it('gn run: G and the raw f of D; the README says what f̂ is', async () => {
    const out = join(scratch, 'gn-onnx');
    expect(exportRun({ runDir: gnRun.runDir, format: 'onnx', net: 'both', ema: 'prefer', out }).usesEma).toBe(false);
    const ganc: GancOutputs = gancOutputs(gnRun, false);
    expectClose('gn G', await runOnnx(join(out, 'G.onnx'), 'z', ganc.z), ganc.G);
    expectClose('gn D (raw f)', await runOnnx(join(out, 'D.onnx'), 'x', ganc.x), ganc.D);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('f̂(x) = f(x) / (‖∇ₓf(x)‖ + |f(x)|)');
  });

  it.skipIf(checkerMissing !== null)(`passes the onnx package's full checker${checkerMissing ? ` (skipped: ${checkerMissing})` : ''}`, () => {
    const out = join(scratch, 'checked-onnx');
    exportRun({ runDir: snRun.runDir, format: 'onnx', net: 'both', ema: 'prefer', out });
    const r = spawnSync(PYTHON, [CHECK_SCRIPT, join(out, 'G.onnx'), join(out, 'D.onnx')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [g, d] = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(g).toMatchObject({ ir_version: 8, opset: { 'ai.onnx': 13 }, outputs: { x: ['N', 8, 8, 1] } });
    expect(d).toMatchObject({ outputs: { d: ['N', 1] } });
  });
});

// torch export: the state dicts load strictly into model.py's modules under Debian's PyTorch
// (scripts/export-check/torch_check.py), with PyTorch's names, layouts and dtypes, and the modules compute
// what ganc computes (images compared after NCHW → NHWC). Skipped, saying why, where python3-torch is missing.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../src/runtime/export/export-run.js';
import { encodeSafetensors } from '../../../src/runtime/safetensors.js';
import {
  GN_SPEC, SN_SPEC, TOLERANCE, gLossFrom, gancOutputs, makeScratch, maxAbsDiff, removeScratch, spread, trainFixtureRun,
  type FixtureRun, type GancOutputs, type Values,
} from './export-fixture.js';

const CHECK_SCRIPT = join(import.meta.dirname, '../../../scripts/export-check/torch_check.py');
const PYTHON = '/usr/bin/python3';

function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found`;
  return r.status === 0 ? null : "PyTorch is not installed for /usr/bin/python3 (Debian: apt-get install python3-torch)";
}
const missing = torchMissing();
// Shown by the default reporter, which names a skipped file but not why.
if (missing) console.warn(`torch export tests skipped: ${missing}`);

type StateDictEntry = [dtype: string, shape: number[], first: number];
interface TorchOutputs {
  G?: Values;
  D?: Values;
  D_normalized?: Values;
  state_dict: Record<'G' | 'D', Record<string, StateDictEntry>>;
}

let scratch: string;
let snRun: FixtureRun;
let gnRun: FixtureRun;

beforeAll(async () => {
  if (missing) return;
  scratch = makeScratch('torch');
  snRun = await trainFixtureRun(scratch, SN_SPEC);
  gnRun = await trainFixtureRun(scratch, GN_SPEC);
});
afterAll(() => removeScratch(scratch));

/** torch_check.py on the export folder with these inputs (ganc's NHWC layout). */
function runTorch(exportDir: string, inputs: Record<string, Values>, label: string): TorchOutputs {
  const file = join(scratch, `${label}-inputs.safetensors`);
  writeFileSync(file, encodeSafetensors(inputs));
  const r = spawnSync(PYTHON, [CHECK_SCRIPT, exportDir, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as TorchOutputs;
}

function expectClose(label: string, got: Values | undefined, want: Values): void {
  expect(got, label).toBeDefined();
  expect(got!.shape, label).toEqual(want.shape);
  const diff = maxAbsDiff(got!.data, want.data);
  console.info(`torch ${label}: max |Δ| = ${diff.toExponential(2)} (spread ${spread(want.data).toFixed(3)})`);
  expect(diff, label).toBeLessThan(TOLERANCE);
}

const reason = missing ? ` (skipped: ${missing})` : '';

describe.skipIf(missing !== null)(`ganc export --format torch${reason}`, () => {
  it('SN run: G (EMA) and D (W/σ baked, batch statistics) compute what ganc computes', () => {
    const out = join(scratch, 'sn-torch');
    const result = exportRun({ runDir: snRun.runDir, format: 'torch', net: 'both', ema: 'prefer', out });
    expect(result.files).toEqual(['G.safetensors', 'D.safetensors', 'model.py', 'README.md']);
    const ganc: GancOutputs = gancOutputs(snRun, true);
    const torch = runTorch(out, { z: ganc.z, x: ganc.x }, 'sn');
    expectClose('SN G', torch.G, ganc.G);
    expectClose('SN D', torch.D, ganc.D);
    const onFake = runTorch(out, { x: ganc.fake }, 'sn-fake');
    const lossDiff = Math.abs(gLossFrom(snRun.ir, onFake.D!.data) - ganc.gLoss);
    console.info(`torch SN D: G-step loss |Δ| = ${lossDiff.toExponential(2)}`);
    expect(lossDiff).toBeLessThan(TOLERANCE);
  });

  it("SN run: PyTorch's names, layouts and dtypes in the state dicts", () => {
    const out = join(scratch, 'sn-torch-names');
    exportRun({ runDir: snRun.runDir, format: 'torch', net: 'both', ema: 'off', out });
    const { state_dict: state } = runTorch(out, {}, 'names');
    const g = state.G;
    expect(g['dense0.weight'].slice(0, 2)).toEqual(['torch.float32', [32, 4]]); // Linear [out, in]
    expect(g['deconv4.weight'][1]).toEqual([8, 8, 3, 3]); // ConvTranspose2d [in, out, kh, kw]
    expect(g['deconv15.weight'][1]).toEqual([4, 1, 1, 1]);
    expect(g['conv9.weight'][1]).toEqual([4, 8, 3, 3]); // Conv2d [out, in, kh, kw]
    expect(Object.keys(g).filter((k) => k.startsWith('batchnorm2.')).sort()).toEqual(
      ['batchnorm2.bias', 'batchnorm2.num_batches_tracked', 'batchnorm2.running_mean', 'batchnorm2.running_var', 'batchnorm2.weight']);
    // One running-statistics update per G step: 3 steps.
    expect(g['batchnorm2.num_batches_tracked']).toEqual(['torch.int64', [], 3]);
    // D normalises with batch statistics: no running buffers to load.
    expect(Object.keys(state.D).filter((k) => k.startsWith('batchnorm4.')).sort()).toEqual(['batchnorm4.bias', 'batchnorm4.weight']);
    expect(state.D['deconv2.weight'][1]).toEqual([4, 4, 2, 2]);
    const model = readFileSync(join(out, 'model.py'), 'utf8');
    // TensorFlow's odd 'same' padding: explicit asymmetric padding and a crop.
    expect(model).toContain("('conv0_pad', nn.ZeroPad2d((0, 1, 0, 1)))");
    expect(model).toContain("('deconv4_crop', CropEnd(1))");
    expect(model).not.toContain('def normalized');
  });

  it('gn run: G, the raw f, and model.normalized(d, x) equal to ganc\'s f̂', () => {
    const out = join(scratch, 'gn-torch');
    exportRun({ runDir: gnRun.runDir, format: 'torch', net: 'both', ema: 'prefer', out });
    const ganc = gancOutputs(gnRun, false);
    const torch = runTorch(out, { z: ganc.z, x: ganc.x }, 'gn');
    expectClose('gn G', torch.G, ganc.G);
    expectClose('gn D (raw f)', torch.D, ganc.D);
    expectClose('gn D normalized (f̂)', torch.D_normalized, ganc.Dnormalized!);
    // `bias false` layers: no bias parameter (the strict load would refuse one).
    expect(readFileSync(join(out, 'model.py'), 'utf8')).toContain("('dense0', nn.Linear(6, 16, bias=False))");
    expect(Object.keys(torch.state_dict.G)).not.toContain('dense0.bias');
    expect(Object.keys(torch.state_dict.D)).not.toContain('conv0.bias');
  });
});

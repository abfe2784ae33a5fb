// What export refuses: a layer it has no translation for yet (the residual networks' resblock, upsample,
// avgpool and sumpool) is one ExportError naming the layer, in every format, and nothing is written.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../../src/runtime/export/export-error.js';
import { exportRun, type ExportFormat } from '../../../src/runtime/export/export-run.js';
import { makeScratch, removeScratch, trainFixtureRun, type FixtureRun } from './export-fixture.js';

const RESNET_SPEC = `gan export_resnet
data folder "images" size 8 channels 1 batch 4
latent normal 4
generator
  dense 4*4*4
  reshape 4 4 4
  resblock up 1
  tanh
discriminator
  resblock down 4
  relu
  sumpool
  dense 1
loss hinge
train steps 3 seed 1 log 1 checkpoint 3 sample 100 eval 100
`;

let scratch: string;
let run: FixtureRun;

beforeAll(async () => {
  scratch = makeScratch('refused');
  run = await trainFixtureRun(scratch, RESNET_SPEC);
});
afterAll(() => removeScratch(scratch));

describe('export refuses layers it cannot write', () => {
  it.each(['onnx', 'tfjs', 'torch'] as ExportFormat[])('%s: one ExportError naming the layer, nothing written', (format) => {
    const out = join(scratch, `out-${format}`);
    const attempt = () => exportRun({ runDir: run.runDir, format, net: 'both', ema: 'prefer', out });
    expect(attempt).toThrow(ExportError);
    expect(attempt).toThrow(/^G's layer 2 \(resblock\) cannot be exported yet; export supports dense, conv, deconv, reshape, flatten, batchnorm, relu, lrelu, tanh, sigmoid$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

// tfjs export: the LayersModel directory loads with tfjs-layers' loadLayersModel (through an IOHandler
// reading model.json and the weights file, as file:// does under tfjs-node) and predicts what ganc computes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../../src/runtime/export/export-error.js';
import { exportRun } from '../../../src/runtime/export/export-run.js';
import { TFJS_WEIGHTS_FILE } from '../../../src/runtime/export/tfjs.js';
import {
  GN_SPEC, SN_SPEC, TOLERANCE, gancOutputs, makeScratch, maxAbsDiff, removeScratch, spread, trainFixtureRun,
  type FixtureRun, type Values,
} from './export-fixture.js';

let scratch: string;
let snRun: FixtureRun;
let gnRun: FixtureRun;

beforeAll(async () => {
  scratch = makeScratch('tfjs');
  snRun = await trainFixtureRun(scratch, SN_SPEC);
  gnRun = await trainFixtureRun(scratch, GN_SPEC);
});
afterAll(() => removeScratch(scratch));

/** An IOHandler over a model directory, as the browser's http or tfjs-node's file:// loaders read it. */
function directoryHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const [group] = json.weightsManifest;
      expect(group.paths).toEqual([TFJS_WEIGHTS_FILE]);
      const bytes = readFileSync(join(dir, group.paths[0]));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: group.weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

async function predict(dir: string, input: Values): Promise<Values> {
  const model = await loadLayersModel(directoryHandler(dir), { strict: true });
  const x = tf.tensor(input.data, input.shape);
  const y = model.predict(x) as tf.Tensor;
  const out = { shape: [...y.shape], data: Float32Array.from(y.dataSync() as Float32Array) };
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

function expectClose(label: string, got: Values, want: Values): void {
  expect(got.shape, label).toEqual(want.shape);
  const diff = maxAbsDiff(got.data, want.data);
  console.info(`tfjs ${label}: max |Δ| = ${diff.toExponential(2)} (spread ${spread(want.data).toFixed(3)})`);
  expect(diff, label).toBeLessThan(TOLERANCE);
}

describe('ganc export --format tfjs', () => {
  it('SN run: G (EMA weights) as a LayersModel, every deconv/conv padding case included', async () => {
    const out = join(scratch, 'sn-tfjs');
    const result = exportRun({ runDir: snRun.runDir, format: 'tfjs', net: 'G', ema: 'prefer', out });
    expect(result.files).toEqual(['G/model.json', `G/${TFJS_WEIGHTS_FILE}`, 'README.md']);
    const ganc = gancOutputs(snRun, true);
    expect(spread(ganc.G.data)).toBeGreaterThan(1e-2);
    expectClose('SN G', await predict(join(out, 'G'), ganc.z), ganc.G);
    // Keras's 'valid' Conv2DTranspose with kernel < stride is longer than ganc's: cropped.
    const layers = JSON.parse(readFileSync(join(out, 'G', 'model.json'), 'utf8')).modelTopology.config.layers;
    expect(layers.map((l: { class_name: string }) => l.class_name)).toContain('Cropping2D');
  });

  it('gn run: G and D (the raw f)', async () => {
    const out = join(scratch, 'gn-tfjs');
    exportRun({ runDir: gnRun.runDir, format: 'tfjs', net: 'both', ema: 'prefer', out });
    const ganc = gancOutputs(gnRun, false);
    expectClose('gn G', await predict(join(out, 'G'), ganc.z), ganc.G);
    expectClose('gn D (raw f)', await predict(join(out, 'D'), ganc.x), ganc.D);
  });

  it('refuses a D with batch norm (batch statistics), before writing anything', () => {
    const out = join(scratch, 'sn-tfjs-d');
    const attempt = () => exportRun({ runDir: snRun.runDir, format: 'tfjs', net: 'both', ema: 'prefer', out });
    expect(attempt).toThrow(ExportError);
    expect(attempt).toThrow(/^D's batchnorm normalises with each batch's statistics.*; export D as onnx or torch, or leave it out with --net G$/);
    expect(existsSync(out)).toBe(false);
  });
});

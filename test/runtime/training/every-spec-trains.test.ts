// Every spec in specs/ trains on the default backend without a non-finite loss, term or gradient,
// and its parameters move. Short and small here (CI budget); `scripts/train-all-specs.sh` runs the
// full 200-step check whose figures the project reports. CIFAR-10 specs train on a tiny folder of
// batches in CIFAR-10's binary format written here, for fewer iterations (their networks are the
// papers' full-size ones).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deferredReadback, selectBackend, type BackendName } from '../../../src/runtime/backend.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { labelledDStepValues } from '../../../src/runtime/graph/step-values.js';
import { dispatchIteration, disposeState, freshState, readIterations, trainIteration } from '../../../src/runtime/train/trainer.js';
import { readFloats } from '../../../src/runtime/readback.js';
import { compileSpecFile, withTraining } from './compile-spec.js';
import { writeCifar10Folder } from '../../helpers/cifar10-files.js';

const SPECS_DIR = join(import.meta.dirname, '../../../specs');
const specs = readdirSync(SPECS_DIR).filter((f) => f.endsWith('.gan')).sort();
const BACKEND = (process.env.GANC_TEST_BACKEND ?? 'ganc') as BackendName;
/** On a GPU backend the iterations are read as training reads them there: dispatched, then read asynchronously. */
const DEFERRED = deferredReadback(BACKEND);
// On webgpu CI runs over lavapipe, a software GPU: 2 iterations (the second reads R_t's window from the first).
const STEPS = BACKEND === 'webgpu' ? 2 : 4;
/** CIFAR-10 specs: iterations and batch (ndis 5 and 32×32×3 ResNets make each iteration costly). */
const CIFAR_STEPS = BACKEND === 'webgpu' ? 1 : 2;
const CIFAR_BATCH = BACKEND === 'webgpu' ? 2 : 4;
/**
 * On webgpu over lavapipe one D step of the CIFAR ResNet at batch 2 takes ~35 s of CPU (measured; compute,
 * not shader compilation), so these specs train with one D step per iteration there: every layer, loss and
 * normalization still runs forward and backward on the GPU route, in about a minute per spec.
 */
const CIFAR_NDIS = BACKEND === 'webgpu' ? 1 : undefined;
let cifarFolder: string;

beforeAll(async () => {
  await selectBackend(BACKEND);
  cifarFolder = writeCifar10Folder(join(mkdtempSync(join(tmpdir(), 'ganc-every-spec-')), 'cifar-10-batches-bin'));
});

describe('every spec trains', () => {
  it('has the specs of the source papers', () => {
    expect(specs).toEqual(expect.arrayContaining([
      'dcgan.gan', 'wgan-gp.gan', 'sngan.gan', 'gngan.gan', 'pgn.gan', 'gnd.gan', 'l2-bn.gan', 'ring8.gan',
      'sngan-cifar-cnn.gan', 'sngan-cifar-resnet.gan', 'pgn-cr.gan', 'cgan-mnist.gan', 'gnd-diffaug.gan',
    ]));
  });

  for (const file of specs) {
    const cifar = compileSpecFile(join(SPECS_DIR, file)).data.kind === 'cifar10';
    const steps = cifar ? CIFAR_STEPS : STEPS;
    // Timeout: lavapipe's CIFAR iterations run past vitest's default of 120 s on a busy 2-core machine.
    it(`${file}: ${steps} iterations, all finite, parameters move`, BACKEND === 'webgpu' ? { timeout: 600_000 } : {}, async () => {
      const ir = withTraining(compileSpecFile(join(SPECS_DIR, file)), { batch: cifar ? CIFAR_BATCH : 8 });
      if (cifar) ir.data.path = cifarFolder;
      if (cifar && CIFAR_NDIS !== undefined) ir.train.ndis = CIFAR_NDIS;
      const dataset = await loadDataset(ir.data, { seed: 0, specDir: SPECS_DIR });
      const state = freshState(ir, 0);
      const firstKernel = ir.generator.layers.flatMap((l) => l.params).find((p) => p.role === 'kernel')!.name;
      const before = (await readFloats(state.params[firstKernel])).slice();
      for (let i = 0; i < steps; i++) {
        const record = DEFERRED ? (await readIterations([dispatchIteration(ir, dataset, state)], state))[0] : trainIteration(ir, dataset, state);
        const values: [string, number][] = [
          ...labelledDStepValues(ir, record.d), ['loss_G', record.g.loss],
          ['grad_norm_D', record.gradNorms.D], ['grad_norm_G', record.gradNorms.G],
        ];
        expect(values.length).toBe(5 + ir.regularizers.length + Object.keys(record.d.terms).length
          + record.d.regularizers.reduce((n, r) => n + Object.keys(r.windowed).length, 0));
        for (const [name, value] of values) expect(Number.isFinite(value), `${name} at step ${i + 1}`).toBe(true);
      }
      const after = await readFloats(state.params[firstKernel]);
      expect(after.some((v, i) => v !== before[i])).toBe(true);
      expect(state.step).toBe(steps);
      disposeState(state);
    });
  }
});

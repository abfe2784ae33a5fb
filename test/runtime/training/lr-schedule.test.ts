// Learning-rate schedules (`decay linear`, `warmup N`): the rate of each iteration, that training applies
// exactly that rate, and that a run stopped and resumed sees the same rates as one trained in one go.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GanIR, OptimizerSpec } from '../../../src/ir/ir.js';
import { selectBackend } from '../../../src/runtime/backend.js';
import { loadDataset } from '../../../src/runtime/data/index.js';
import { readMetrics } from '../../../src/runtime/run/metrics-log.js';
import { learningRate } from '../../../src/runtime/train/optimizers.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { disposeState, freshState, trainIteration } from '../../../src/runtime/train/trainer.js';
import { compileSpecText } from './compile-spec.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';

const sgd = (schedule: OptimizerSpec['schedule']): OptimizerSpec => ({ kind: 'sgd', lr: 0.1, momentum: 0, schedule });

const SPEC = (optimizers: string, train: string) =>
  ring8Spec({ name: 'scheduled', batch: 16, width: 16, loss: 'hinge', lines: [optimizers], train });

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('learning-rate schedules', () => {
  it('gives each iteration its rate: linear decay to 0 at the spec\'s last step, linear warmup', () => {
    const rates = (spec: OptimizerSpec, n: number) => Array.from({ length: n }, (_, t) => learningRate(spec, t));
    expect(rates(sgd({ decay: 'none', warmup: 0, steps: 4 }), 4)).toEqual([0.1, 0.1, 0.1, 0.1]);
    // PyTorch's LambdaLR(lambda t: 1 - t / T), stepped once per iteration; past T it stays at 0.
    rates(sgd({ decay: 'linear', warmup: 0, steps: 4 }), 6).forEach((lr, t) => expect(lr).toBeCloseTo(0.1 * Math.max(0, 1 - t / 4), 15));
    rates(sgd({ decay: 'none', warmup: 4, steps: 10 }), 6).forEach((lr, t) => expect(lr).toBeCloseTo(0.1 * Math.min(1, (t + 1) / 4), 15));
    // Warmup, then decay over the rest: 1/2, 1, then 1 − k/4 for k = 0..3, then 0.
    const both = rates(sgd({ decay: 'linear', warmup: 2, steps: 6 }), 7).map((lr) => lr / 0.1);
    [0.5, 1, 1, 0.75, 0.5, 0.25, 0].forEach((factor, t) => expect(both[t]).toBeCloseTo(factor, 12));
  });

  it('trains each iteration at its scheduled rate', async () => {
    // SGD without momentum: an update is p − lr·g, so a constant-rate run given the scheduled rate of each
    // iteration must end bit for bit where the scheduled run does.
    const scheduled = compileSpecText(SPEC('optimizer D sgd lr 0.1 decay linear warmup 1\noptimizer G sgd lr 0.05 decay linear', 'steps 4 seed 3'));
    const dataset = await loadDataset(scheduled.data, { seed: 0, specDir: '.' });
    const atRate = (rateD: number, rateG: number): GanIR => {
      const ir = structuredClone(scheduled);
      ir.optimizers.D = { ...ir.optimizers.D, lr: rateD, schedule: { decay: 'none', warmup: 0, steps: 4 } };
      ir.optimizers.G = { ...ir.optimizers.G, lr: rateG, schedule: { decay: 'none', warmup: 0, steps: 4 } };
      return ir;
    };
    const a = freshState(scheduled, 0);
    const b = freshState(scheduled, 0);
    const ratesSeen: number[][] = [];
    for (let t = 0; t < 5; t++) {
      const rates = [learningRate(scheduled.optimizers.D, t), learningRate(scheduled.optimizers.G, t)];
      ratesSeen.push(rates);
      trainIteration(scheduled, dataset, a);
      trainIteration(atRate(rates[0], rates[1]), dataset, b);
    }
    expect(ratesSeen.map(([d]) => d)).toEqual([0.1, 0.1, 0.1 * (1 - 1 / 3), 0.1 * (1 - 2 / 3), 0]);
    for (const [name, tensor] of Object.entries(a.params)) expect(tensor.dataSync(), name).toEqual(b.params[name].dataSync());
    // The rate did change the run: a constant rate ends elsewhere.
    const c = freshState(scheduled, 0);
    for (let t = 0; t < 5; t++) trainIteration(atRate(0.1, 0.05), dataset, c);
    expect(c.params['D.0.dense.kernel'].dataSync()).not.toEqual(a.params['D.0.dense.kernel'].dataSync());
    [a, b, c].forEach(disposeState);
  });

  it('resumes with the same rates: 3 + resume 3 equals 6 in one go, the schedule spanning the spec\'s steps', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'ganc-schedule-'));
    const file = join(outRoot, 'scheduled.gan');
    const text = SPEC('optimizer D adam lr 1e-2 decay linear warmup 2\noptimizer G adam lr 1e-2 decay linear', 'steps 6 seed 1 log 1 checkpoint 3 sample 1000 eval 1000');
    const spec = { text, file, ir: compileSpecText(text, file) };
    const straight = await runTraining({ outRoot: join(outRoot, 'a'), spec, backend: 'cpu' });
    const half = await runTraining({ outRoot: join(outRoot, 'b'), spec, steps: 3, backend: 'cpu' });
    const resumed = await runTraining({ outRoot: join(outRoot, 'b'), resume: half.runDir, steps: 6, backend: 'cpu' });
    const comparable = (dir: string) =>
      readMetrics(join(dir, 'metrics.jsonl')).map(({ time: _time, step_ms: _ms, quality: _quality, ...rest }) => rest);
    expect(resumed.step).toBe(6);
    expect(comparable(resumed.runDir)).toEqual(comparable(straight.runDir));
  });
});

// `--backend wasm` trains conv specs: tfjs-backend-wasm has no Conv2DBackpropFilter, so ganc registers
// its portable TypeScript filter gradient for the 'wasm' backend. Checked against tfjs's cpu kernel on
// the geometries ganc's layers make, and through a whole probe (losses and every gradient of a conv GAN
// with a gradient penalty, so the filter gradient also runs under double backprop).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { GanIR } from '../../src/ir/ir.js';
import { selectBackend } from '../../src/runtime/backend.js';
import { probe } from '../../src/runtime/probe.js';
import { Rng } from '../../src/runtime/rng.js';
import type { TensorMap } from '../../src/runtime/safetensors.js';
import { allParams } from '../../src/runtime/train/init.js';

const SPEC = `gan conv_probe
data folder "unused" size 8 channels 1
latent normal 4
generator
  dense 4*4*8
  reshape 4 4 8
  deconv 1 kernel 4 stride 2
  tanh
discriminator
  conv 8 kernel 3 stride 2
  lrelu 0.2
  conv 4 kernel 3 stride 1 padding valid
  flatten
  dense 1
loss wasserstein
reg 10 * gp
`;

function random(shape: number[], seed: number): { shape: number[]; data: Float32Array } {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Rng.fromSeed(seed).fillNormal(new Float32Array(n)) };
}

async function filterGradient(backend: 'cpu' | 'wasm', x: tf.TensorLike, xShape: number[], dy: tf.TensorLike, dyShape: number[], attrs: Record<string, unknown>): Promise<Float32Array> {
  await selectBackend(backend);
  const xs = tf.tensor(x, xShape);
  const dys = tf.tensor(dy, dyShape);
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, attrs as never) as tf.Tensor;
  const values = dw.dataSync() as Float32Array;
  tf.dispose([xs, dys, dw]);
  return values;
}

describe("--backend wasm: ganc's filter gradient", () => {
  it.each([
    ['stride 1, same', [2, 6, 6, 3], [3, 3, 3, 5], 1, 'same'],
    ['stride 2, same', [2, 8, 8, 2], [4, 4, 2, 4], 2, 'same'],
    ['stride 2, valid', [1, 9, 9, 1], [3, 3, 1, 2], 2, 'valid'],
  ] as const)('matches tfjs\'s cpu kernel: %s', async (_name, xShape, filterShape, stride, pad) => {
    const outSize = (n: number) => (pad === 'same' ? Math.ceil(n / stride) : Math.floor((n - filterShape[0]) / stride) + 1);
    const dyShape = [xShape[0], outSize(xShape[1]), outSize(xShape[2]), filterShape[3]];
    const x = random([...xShape], 1).data;
    const dy = random(dyShape, 2).data;
    const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [...filterShape] };
    const onCpu = await filterGradient('cpu', x, [...xShape], dy, dyShape, attrs);
    const onWasm = await filterGradient('wasm', x, [...xShape], dy, dyShape, attrs);
    expect(onWasm.length).toBe(onCpu.length);
    for (let i = 0; i < onCpu.length; i++) expect(onWasm[i]).toBeCloseTo(onCpu[i], 4);
  });

  it('gives a conv GAN with a gradient penalty the losses and gradients of the cpu backend', async () => {
    const { ir, diagnostics } = compileSource(SPEC, 'conv.gan');
    expect(diagnostics).toEqual([]);
    const params: TensorMap = {};
    allParams(ir as GanIR).forEach((p, i) => { params[p.name] = random(p.shape, 10 + i); params[p.name].data.forEach((v, j, a) => { a[j] = v * 0.2; }); });
    const batch: TensorMap = { real: random([3, 8, 8, 1], 3), z_d: random([3, 4], 4), z_g: random([3, 4], 5), eps: { shape: [3], data: Float32Array.of(0.2, 0.5, 0.9) } };
    await selectBackend('cpu');
    const onCpu = await probe(ir as GanIR, params, batch);
    await selectBackend('wasm');
    const onWasm = await probe(ir as GanIR, params, batch);
    expect(onWasm.d_step.loss).toBeCloseTo(onCpu.d_step.loss, 3);
    expect(onWasm.g_step.loss).toBeCloseTo(onCpu.g_step.loss, 3);
    for (const step of ['d_step', 'g_step'] as const) {
      for (const [name, grad] of Object.entries(onCpu[step].grads)) {
        const other = onWasm[step].grads[name].data;
        const scale = Math.max(1e-3, ...Array.from(grad.data, Math.abs));
        grad.data.forEach((v, i) => expect(Math.abs(other[i] - v) / scale, `${step} ${name}[${i}]`).toBeLessThan(1e-3));
      }
    }
    expect(Object.keys(onWasm.d_step.grads)).toContain('D.0.conv.kernel');
  });
});

// Class conditioning reaches where it must (specs/cgan-mnist.gan): the labels of a real batch are its
// images' classes, D's projection depends on them and is trained, G's per-class rows get gradient exactly
// for the classes in its batch, and sampling asks for the classes that class_match scores against.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/runtime/backend.js';
import { mnistDataset } from '../../../src/runtime/data/mnist.js';
import { applyNetwork, oneHotLabels, type ParamTensors } from '../../../src/runtime/graph/network.js';
import { discriminatorStep, generatorStep } from '../../../src/runtime/graph/steps.js';
import { defaultClassifier } from '../../../src/runtime/metrics/index.js';
import { Rng } from '../../../src/runtime/rng.js';
import { generateSamples, requestedLabels } from '../../../src/runtime/train/generate.js';
import { initParams } from '../../../src/runtime/train/init.js';
import { compileSpecFile, compileSpecText } from './compile-spec.js';

const ir = compileSpecFile('specs/cgan-mnist.gan');
/** The same without spectral normalisation (sn_u parameters are then unused). */
const plainIr = compileSpecText(readFileSync('specs/cgan-mnist.gan', 'utf8').replace('normalize D sn', 'normalize D none'));
const BATCH = 16;

beforeAll(async () => {
  await selectBackend('ganc');
});

const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];
const norm = (values: number[]): number => Math.sqrt(values.reduce((s, v) => s + v * v, 0));

/** The parameters at initialization, with every class row of G's cbatchnorm tables made distinct. */
function params(): ParamTensors {
  const p = initParams(ir, Rng.fromSeed(1));
  for (const name of Object.keys(p).filter((n) => /cbatchnorm\.(gamma|beta)$/.test(n))) {
    const [classes, channels] = p[name].shape;
    p[name] = tf.add(p[name], tf.mul(0.5, tf.randomNormal([classes, channels], 0, 1, 'float32', 3)));
  }
  return p;
}

describe('cgan-mnist conditioning', () => {
  it("a labelled real batch is the unlabelled draw's images, each with its own digit", () => {
    const data = mnistDataset(1, 0, true);
    const plain = data.batch(Rng.fromSeed(9), 256);
    const { images, labels } = data.labelledBatch!(Rng.fromSeed(9), 256);
    expect(images).toEqual(plain);
    // The classifier behind class_match reads (almost) every real digit as its label: same label order.
    const predicted = defaultClassifier().predict(images, 256);
    const agree = labels.filter((y, i) => predicted[i] === y).length;
    expect(agree / 256).toBeGreaterThan(0.9);
  });

  it("starts G's class rows at gamma 1, beta 0, and D's embedding rows distinct (xavier-uniform)", () => {
    const p = initParams(ir, Rng.fromSeed(1));
    for (const layer of [2, 5]) {
      expect(new Set(p[`G.${layer}.cbatchnorm.gamma`].dataSync())).toEqual(new Set([1]));
      expect(new Set(p[`G.${layer}.cbatchnorm.beta`].dataSync())).toEqual(new Set([0]));
    }
    const embedding = p['D.5.projection.embedding'];
    const bound = Math.sqrt(6 / (3136 + 10));
    expect(tf.max(tf.abs(embedding)).dataSync()[0]).toBeLessThanOrEqual(bound);
    expect(tf.max(tf.abs(embedding)).dataSync()[0]).toBeGreaterThan(0.9 * bound);
    expect(new Set(rows(embedding).map((r) => r.join())).size).toBe(10);
  });

  it("D's output depends on the labels, and its projection embedding gets gradient", () => {
    const p = params();
    const { images, labels } = mnistDataset(1, 0, true).labelledBatch!(Rng.fromSeed(2), BATCH);
    const real = tf.tensor(images, [BATCH, 28, 28, 1]);
    const shifted = Int32Array.from(labels, (y) => (y + 1) % 10);
    const D = (y: Int32Array) => applyNetwork(ir.discriminator, p, real, { training: true, labels: oneHotLabels(y, 10) });
    const change = tf.max(tf.abs(tf.sub(D(labels), D(shifted)))).dataSync()[0];
    expect(change).toBeGreaterThan(1e-3);

    const z = tf.randomNormal([BATCH, ir.latent.dim], 0, 1, 'float32', 4);
    const fakeLabels = Int32Array.from({ length: BATCH }, (_, i) => i % 3); // classes 0-2 only
    const used = new Set([...labels, ...fakeLabels]);
    // Under the spec's sn, σ of the embedding couples its rows; without it, only the batch's classes move.
    for (const [net, exact] of [[ir, false], [plainIr, true]] as const) {
      const step = discriminatorStep(net, p, { real, z, realLabels: labels, fakeLabels }, net.regularizers.map(() => []));
      rows(step.grads['D.5.projection.embedding']).forEach((row, y) => {
        if (used.has(y)) expect(norm(row), `class ${y}`).toBeGreaterThan(0);
        else if (exact) expect(norm(row), `class ${y}`).toBe(0);
      });
    }
  });

  it("G's class rows get gradient exactly for the classes in its batch, and its samples follow their labels", () => {
    const p = params();
    const z = tf.randomNormal([BATCH, ir.latent.dim], 0, 1, 'float32', 5);
    const labels = Int32Array.from({ length: BATCH }, (_, i) => 2 * (i % 4)); // classes 0, 2, 4, 6
    const step = generatorStep(ir, p, z, { labels });
    for (const name of ['G.2.cbatchnorm.gamma', 'G.2.cbatchnorm.beta', 'G.5.cbatchnorm.gamma', 'G.5.cbatchnorm.beta']) {
      rows(step.grads[name]).forEach((row, y) => {
        if (y % 2 === 0 && y < 8) expect(norm(row), `${name} class ${y}`).toBeGreaterThan(0);
        else expect(norm(row), `${name} class ${y}`).toBe(0);
      });
    }
    // Sampling: sample i asks for class i mod 10 (what class_match scores against), and its image is
    // G's image for that class, whatever the other samples of its chunk ask for.
    const n = 20;
    expect(Array.from(requestedLabels(ir, n)!)).toEqual(Array.from({ length: n }, (_, i) => i % 10));
    const asked = generateSamples(ir, p, Rng.fromSeed(6), n, 7);
    const reversed = Int32Array.from({ length: n }, (_, i) => 9 - (i % 10));
    const other = generateSamples(ir, p, Rng.fromSeed(6), n, 7, reversed);
    const length = 28 * 28;
    for (let i = 0; i < n; i++) {
      const a = asked.subarray(i * length, (i + 1) * length);
      const b = other.subarray(i * length, (i + 1) * length);
      const differs = a.some((v, k) => v !== b[k]);
      expect(differs, `sample ${i}`).toBe(reversed[i] !== i % 10);
    }
  });
});

// End-to-end double and triple backprop through small GAN networks, against central differences of
// the loss over the weights: a WGAN-GP penalty, GN- and PGN-normalised D terms (third order), and a
// G step through GN with batch norm built from primitives.
//
// The networks are piecewise smooth (leaky ReLU, ReLU, abs): a finite-difference step across a kink
// measures a jump, not a derivative. Each direction is therefore used only if no kink argument
// (pre-activation, or f under abs) changes sign between θ − hV and θ + hV.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, gradOfSum, installGradientFixes } from '../../../src/runtime/autodiff/index.js';
import { perSampleNorm } from '../../../src/terms/tensor-ops.js';
import { Rng } from '../../../src/runtime/rng.js';
import { evaluate, expectVectorsClose, randomDirections, randomNormal, read, shifted } from './numeric-check.js';
import { backendHasKernel, useTestBackend } from './test-backend.js';

beforeAll(async () => {
  await useTestBackend();
  installGradientFixes();
});

const convolutionRuns = () => backendHasKernel(tf.Conv2DBackpropFilter);

interface Activation {
  name: string;
  apply: (x: tf.Tensor) => tf.Tensor;
  /** whether the sign of its argument decides a kink */
  kinked: boolean;
}
const lrelu: Activation = { name: 'lrelu', apply: (x) => tf.leakyRelu(x, 0.2), kinked: true };
const tanh: Activation = { name: 'tanh', apply: tf.tanh, kinked: false };

/** Smaller than numeric-check's STEP: these networks have many kinks a larger step would cross. */
const NETWORK_STEP = 1e-3;

/** Receives every tensor whose sign decides a kink; reads it at once (inner tidies dispose it). */
type KinkRecorder = (t: tf.Tensor) => void;
const ignoreKinks: KinkRecorder = () => {};

/** D: conv 4×4 s2 same → act → conv 3×3 s2 valid → act → flatten → dense 1; input [B, 9, 9, 1]. */
function discriminatorParams(rng: Rng): tf.Tensor[] {
  return [
    randomNormal(rng, [4, 4, 1, 3], 0.5),
    randomNormal(rng, [3], 0.1),
    randomNormal(rng, [3, 3, 3, 4], 0.3),
    randomNormal(rng, [4], 0.1),
    randomNormal(rng, [16, 1], 0.3),
    randomNormal(rng, [1], 0.1),
  ];
}

function discriminator([w1, b1, w2, b2, w3, b3]: tf.Tensor[], activation: Activation, record: KinkRecorder) {
  return (x: tf.Tensor): tf.Tensor => {
    const h1 = tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), b1);
    const h2 = tf.add(tf.conv2d(activation.apply(h1) as tf.Tensor4D, w2 as tf.Tensor4D, 2, 'valid'), b2);
    if (activation.kinked) [h1, h2].forEach(record);
    const flat = tf.reshape(activation.apply(h2), [x.shape[0], -1]);
    return tf.reshape(tf.add(tf.matMul(flat, w3), b3), [x.shape[0]]);
  };
}

/** GN (Wu et al. 2021): f̂ = f / (‖∇ₓf‖ + |f|). */
function gradientNormalised(f: (x: tf.Tensor) => tf.Tensor, record: KinkRecorder) {
  return (x: tf.Tensor): tf.Tensor => {
    const value = f(x);
    record(value);
    return tf.div(value, tf.add(perSampleNorm(gradOfSum(f, x)), tf.abs(value)));
  };
}

/** PGN: f̂ = (1 − f) / (‖1 − ∇ₓf‖ + |1 − f|). */
function penaltyGradientNormalised(f: (x: tf.Tensor) => tf.Tensor, record: KinkRecorder) {
  return (x: tf.Tensor): tf.Tensor => {
    const shiftedValue = tf.sub(1, f(x));
    record(shiftedValue);
    return tf.div(shiftedValue, tf.add(perSampleNorm(tf.sub(1, gradOfSum(f, x))), tf.abs(shiftedValue)));
  };
}

/**
 * Checks ∇θ loss (by nested backprop) against central differences of the loss along random
 * directions that cross no kink. Returns how many directions were checked.
 */
async function expectWeightGradientMatches(loss: (params: tf.Tensor[], record: KinkRecorder) => tf.Scalar, params: tf.Tensor[], rng: Rng, label: string): Promise<number> {
  const gradient = await evaluate(() => tf.grads((...p: tf.Tensor[]) => loss(p, ignoreKinks))(params));
  const kinkSigns = async (p: tf.Tensor[]) => {
    const recorded: tf.Tensor[] = [];
    tf.tidy(() => loss(p, (t) => { recorded.push(tf.keep(t.clone())); }));
    return Array.from(await evaluate(() => recorded), Math.sign);
  };
  const signsAtParams = await kinkSigns(params);
  const analytic: number[] = [];
  const numeric: number[] = [];
  for (let attempt = 0; attempt < 20 && analytic.length < 3; attempt++) {
    const direction = randomDirections(rng, params);
    const signsNear = await Promise.all([NETWORK_STEP, -NETWORK_STEP].map((t) => kinkSigns(shifted(params, direction, t))));
    const stable = signsNear.every((signs) => signs.every((s, i) => s === signsAtParams[i]));
    if (!stable) continue;
    const v = await read(direction);
    analytic.push(gradient.reduce((sum, g, i) => sum + g * v[i], 0));
    const lossAt = async (t: number) => (await evaluate(() => [loss(shifted(params, direction, t), ignoreKinks)]))[0];
    numeric.push((await lossAt(NETWORK_STEP) - await lossAt(-NETWORK_STEP)) / (2 * NETWORK_STEP));
  }
  expect(analytic.length, `${label}: directions without a kink crossing`).toBeGreaterThanOrEqual(2);
  expectVectorsClose(analytic, numeric, label);
  return analytic.length;
}

describe('discriminator terms: d(term)/d(weights) by nested backprop vs finite differences', () => {
  for (const batch of [1, 3]) {
    it(`WGAN-GP penalty mean((‖∇ₓD(x̂)‖ − 1)²), conv→lrelu→conv→lrelu→flatten→dense, batch ${batch}`, async (context) => {
      if (!convolutionRuns()) context.skip();
      const rng = Rng.fromSeed(7 + batch);
      const params = discriminatorParams(rng);
      const xHat = randomNormal(rng, [batch, 9, 9, 1]);
      const penalty = (p: tf.Tensor[], record: KinkRecorder) => {
        const norms = perSampleNorm(gradOfSum(discriminator(p, lrelu, record), xHat));
        return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
      };
      await expectWeightGradientMatches(penalty, params, rng, `GP batch ${batch}`);
    });
  }

  for (const activation of [lrelu, tanh]) {
    const name = activation.name;
    for (const [normalisation, normalise] of [['GN', gradientNormalised], ['PGN', penaltyGradientNormalised]] as const) {
      it(`third order: ∇θ of mean‖∇ₓ f̂‖² + mean f̂, f̂ = ${normalisation}(conv net with ${name}), batch 3`, async (context) => {
        if (!convolutionRuns()) context.skip();
        const rng = Rng.fromSeed(name.length * 31 + normalisation.length);
        const params = discriminatorParams(rng);
        const x = randomNormal(rng, [3, 9, 9, 1]);
        const term = (p: tf.Tensor[], record: KinkRecorder) => {
          const normalised = normalise(discriminator(p, activation, record), record);
          const inputGradientNorms = perSampleNorm(gradOfSum(normalised, x));
          return tf.add(tf.mean(tf.square(inputGradientNorms)), tf.mean(normalised(x))) as tf.Scalar;
        };
        await expectWeightGradientMatches(term, params, rng, `${normalisation} ${name}`);
      });
    }
  }
});

describe('generator step through a GN discriminator', () => {
  it('∇θ_G of mean(f̂(G(z))), G: dense → reshape → batchNormTrain → relu → deconv 4 s2 → tanh', async (context) => {
    if (!convolutionRuns()) context.skip();
    const rng = Rng.fromSeed(2024);
    const discriminatorWeights = discriminatorParams(rng);
    const z = randomNormal(rng, [3, 4]);
    const generatorParams = [
      randomNormal(rng, [4, 5 * 5 * 2], 0.5),
      randomNormal(rng, [2], 0.2),
      randomNormal(rng, [2], 0.2),
      randomNormal(rng, [4, 4, 1, 2], 0.4),
    ];
    const generatorLoss = ([dense, gamma, beta, deconv]: tf.Tensor[], record: KinkRecorder) => {
      const h = tf.reshape(tf.matMul(z, dense), [3, 5, 5, 2]);
      const normalised = batchNormTrain(h, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5).y;
      record(normalised);
      const images = tf.tanh(tf.conv2dTranspose(tf.relu(normalised) as tf.Tensor4D, deconv as tf.Tensor4D, [3, 10, 10, 1], 2, 'same'));
      const cropped = tf.slice(images, [0, 0, 0, 0], [3, 9, 9, 1]);
      const f = gradientNormalised(discriminator(discriminatorWeights, lrelu, record), record);
      return tf.neg(tf.mean(f(cropped))) as tf.Scalar;
    };
    await expectWeightGradientMatches(generatorLoss, generatorParams, rng, 'G through GN');
  });
});

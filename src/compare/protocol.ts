// The one evaluation protocol of a comparison. Every run, whatever its spec, data fraction or seed, is
// scored the same way from its final checkpoint: the same number of generated samples, latents from the
// run's fixed evaluation stream (seed s, fork 'eval': the stream `ganc train` evaluates with, so every
// method at seed s is scored on the same latents), the same feature model, and the same real reference
// set, drawn with a fixed seed from the whole data set. The last point is why compare scores runs itself:
// during training, fd_lenet compares with the training subset (`fraction`), which would make cells of
// different fractions answer to different references.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataKind } from '../ir/ir.js';
import { measuresFor, type Measure } from '../search/scores.js';

export interface EvalProtocol {
  /** Generated samples per evaluation (and real samples in the reference, for Fréchet distances). */
  samples: number;
  data: DataKind;
  measures: Measure[];
  /** What the measures compare with, in words. */
  reference: string;
  /** The feature network, named with a hash of its weights; null where none is used. */
  featureModel: string | null;
  /** The latents, in words. */
  latents: string;
}

let lenetDigest: string | undefined;

async function lenetName(): Promise<string> {
  const { LENET_WEIGHTS_PATH } = await import('../runtime/metrics/classifier.js');
  lenetDigest ??= createHash('sha256').update(readFileSync(LENET_WEIGHTS_PATH)).digest('hex').slice(0, 12);
  return `ganc's LeNet MNIST classifier, 128-d penultimate features (assets/lenet-mnist.safetensors, sha256 ${lenetDigest}…)`;
}

export async function protocolFor(data: DataKind, samples: number): Promise<EvalProtocol> {
  const latents = `${samples} latents from the run's fixed evaluation stream of its seed (the same for every method at that seed); G's EMA weights where the spec keeps them`;
  const base = { samples, data, measures: measuresFor(data), latents };
  switch (data) {
    case 'mnist':
    case 'mnist-idx':
      return {
        ...base,
        reference: `${samples} real digits drawn with a fixed seed from the whole training set (every fraction uses the same ones)`,
        featureModel: await lenetName(),
      };
    case 'ring8':
    case 'grid25':
      return { ...base, reference: 'the mixture\'s known modes (within 3σ counts as high quality)', featureModel: null };
    case 'folder':
    case 'cifar10':
      return {
        ...base,
        reference: `${samples} real images drawn with a fixed seed from the whole ${data === 'folder' ? 'folder' : 'training set'} (every fraction uses the same ones)`,
        featureModel: 'a fixed-seed random projection of the pixels (fd_randproj)',
      };
  }
}

export function describeProtocol(p: EvalProtocol): string {
  const measures = p.measures.map((m) => `${m.name} (${m.better} is better)`).join(', ');
  const features = p.featureModel ? ` Features: ${p.featureModel}.` : '';
  return `Every run is scored after training from its final checkpoint, by ganc compare itself: ${measures}. `
    + `Samples: ${p.latents}. Reference: ${p.reference}.${features}`;
}

export interface RunScores {
  /** The checkpoint's step. */
  step: number;
  scores: Record<string, number>;
}

/** The whole data set of each kind and source: loaded once, so its reference fit is computed once too. */
const wholeDatasets = new Map<string, Promise<import('../runtime/data/index.js').Dataset>>();

/**
 * Scores a run directory's latest checkpoint under the protocol. tfjs and the data load on first use;
 * the caller has selected the backend.
 */
export async function evaluateRunDir(runDir: string, samples: number): Promise<RunScores> {
  const [{ loadTrainedRun }, { generateSamples, fixedNoiseRng, requestedLabels }, { loadDataset }, { evaluateSamples }, tf] = await Promise.all([
    import('../runtime/train/trained-run.js'),
    import('../runtime/train/generate.js'),
    import('../runtime/data/index.js'),
    import('../runtime/metrics/index.js'),
    import('@tensorflow/tfjs-core'),
  ]);
  const run = loadTrainedRun(runDir);
  let fake: Float32Array;
  try {
    fake = generateSamples(run.ir, run.generator, fixedNoiseRng(run.ir.train.seed).fork('eval'), samples);
  } finally {
    tf.dispose(Object.values(run.generator));
  }
  // The whole data set is the reference: a fraction's subset would differ between cells. (At fraction 1
  // the loaders keep every sample whatever the seed.)
  const whole = { ...run.ir.data, fraction: 1 };
  const key = JSON.stringify({ ...whole, batch: 0 });
  let dataset = wholeDatasets.get(key);
  if (!dataset) {
    dataset = loadDataset(whole, { seed: 0, specDir: runDir });
    wholeDatasets.set(key, dataset);
    dataset.catch(() => wholeDatasets.delete(key));
  }
  return { step: run.step, scores: await evaluateSamples(whole, await dataset, fake, samples, { requestedLabels: requestedLabels(run.ir, samples) }) };
}

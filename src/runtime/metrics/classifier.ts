// The small LeNet-style MNIST classifier behind fd_lenet and class_coverage (forward pass only).
// Trained by scripts/train_classifier.py on ganc's fixed MNIST training split; weights in TF.js layout.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fileURLToPath } from 'node:url';
import { readSafetensors, type TensorMap } from '../safetensors.js';
import { MetricError } from './metric-error.js';

export const LENET_WEIGHTS_PATH = fileURLToPath(new URL('../../../assets/lenet-mnist.safetensors', import.meta.url));
/** Width of the penultimate (dense1, after ReLU) layer: the feature space of fd_lenet. */
export const LENET_FEATURE_DIM = 128;
const IMAGE_LENGTH = 28 * 28;
/** Images per forward pass: bounds the memory of the intermediate activations. */
const CHUNK = 500;

const EXPECTED_SHAPES: Record<string, number[]> = {
  'conv1.kernel': [5, 5, 1, 8], 'conv1.bias': [8],
  'conv2.kernel': [5, 5, 8, 16], 'conv2.bias': [16],
  'dense1.kernel': [4 * 4 * 16, LENET_FEATURE_DIM], 'dense1.bias': [LENET_FEATURE_DIM],
  'dense2.kernel': [LENET_FEATURE_DIM, 10], 'dense2.bias': [10],
};

export interface ClassifierOutput {
  /** n × LENET_FEATURE_DIM penultimate-layer activations. */
  features: Float32Array;
  /** The most likely digit of each image. */
  classes: Uint8Array;
}

export class LenetClassifier {
  private constructor(private readonly weights: Record<string, tf.Tensor>) {}

  /** Reads the weights (default: assets/lenet-mnist.safetensors) and checks every tensor's shape. */
  static load(path = LENET_WEIGHTS_PATH): LenetClassifier {
    const tensors: TensorMap = readSafetensors(path).tensors;
    const weights: Record<string, tf.Tensor> = {};
    for (const [name, shape] of Object.entries(EXPECTED_SHAPES)) {
      const found = tensors[name];
      if (!found || found.shape.join() !== shape.join()) {
        throw new MetricError(`${path}: expected tensor '${name}' of shape [${shape}], found ${found ? `[${found.shape}]` : 'none'}`);
      }
      weights[name] = tf.tensor(found.data, shape);
    }
    return new LenetClassifier(weights);
  }

  /** Runs n 28×28×1 images in [-1, 1] (NHWC, row-major) through the network. */
  run(images: Float32Array, n: number): ClassifierOutput {
    const out = this.allocate(images, n);
    for (const c of this.chunks(images, n)) {
      out.features.set(c.hidden.dataSync() as Float32Array, c.start * LENET_FEATURE_DIM);
      out.classes.set(c.classes.dataSync(), c.start);
      tf.dispose([c.hidden, c.classes]);
    }
    return out;
  }

  /** run, asynchronously: on a GPU backend (which reads tensors back only so); the same values. */
  async runAsync(images: Float32Array, n: number): Promise<ClassifierOutput> {
    const out = this.allocate(images, n);
    for (const c of this.chunks(images, n)) {
      out.features.set((await c.hidden.data()) as Float32Array, c.start * LENET_FEATURE_DIM);
      out.classes.set(await c.classes.data(), c.start);
      tf.dispose([c.hidden, c.classes]);
    }
    return out;
  }

  private allocate(images: Float32Array, n: number): ClassifierOutput {
    if (images.length !== n * IMAGE_LENGTH) {
      throw new MetricError(`classifier input holds ${images.length} values, expected ${n} × 28 × 28 × 1`);
    }
    return { features: new Float32Array(n * LENET_FEATURE_DIM), classes: new Uint8Array(n) };
  }

  /** Each chunk's penultimate features and predicted classes (the caller reads and disposes them). */
  private *chunks(images: Float32Array, n: number): Generator<{ start: number; hidden: tf.Tensor; classes: tf.Tensor }> {
    for (let start = 0; start < n; start += CHUNK) {
      const count = Math.min(CHUNK, n - start);
      const chunk = images.subarray(start * IMAGE_LENGTH, (start + count) * IMAGE_LENGTH);
      yield {
        start,
        ...tf.tidy(() => {
          const hidden = this.hidden(tf.tensor4d(chunk, [count, 28, 28, 1]));
          const logits = tf.add(tf.matMul(hidden, this.weights['dense2.kernel']), this.weights['dense2.bias']);
          return { hidden, classes: tf.argMax(logits, 1) };
        }),
      };
    }
  }

  features(images: Float32Array, n: number): Float32Array {
    return this.run(images, n).features;
  }

  predict(images: Float32Array, n: number): Uint8Array {
    return this.run(images, n).classes;
  }

  /** conv5 relu pool2, conv5 relu pool2, NHWC flatten, dense relu: the penultimate layer. */
  private hidden(x: tf.Tensor4D): tf.Tensor2D {
    const w = this.weights;
    const block = (input: tf.Tensor4D, layer: string) =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(input, w[`${layer}.kernel`] as tf.Tensor4D, 1, 'valid'), w[`${layer}.bias`])) as tf.Tensor4D, 2, 2, 'valid');
    const pooled = block(block(x, 'conv1'), 'conv2');
    const flat = tf.reshape(pooled, [x.shape[0], -1]) as tf.Tensor2D;
    return tf.relu(tf.add(tf.matMul(flat, w['dense1.kernel'] as tf.Tensor2D), w['dense1.bias'])) as tf.Tensor2D;
  }
}

let shared: LenetClassifier | undefined;

/** The classifier with the project's weights, loaded once per process. */
export function defaultClassifier(): LenetClassifier {
  shared ??= LenetClassifier.load();
  return shared;
}

// The feature classifier's held-out accuracy, measured in TF.js, beside the figure its training run
// recorded (`ganc eval --classifier`): fd_lenet is only as meaningful as this classifier.
import { loadMnistSplits } from '../data/mnist.js';
import { readSafetensors } from '../safetensors.js';
import { LENET_WEIGHTS_PATH, LenetClassifier } from './classifier.js';

export interface ClassifierAccuracy {
  /** Share of the held-out digits classified correctly here. */
  accuracy: number;
  /** What the PyTorch training run reported for the same digits (the weights file's metadata). */
  stated: number;
  heldOut: number;
  weights: string;
}

export function classifierAccuracy(weights = LENET_WEIGHTS_PATH): ClassifierAccuracy {
  const { heldOut } = loadMnistSplits();
  const predicted = LenetClassifier.load(weights).predict(heldOut.images, heldOut.count);
  const correct = predicted.filter((digit, i) => digit === heldOut.labels[i]).length;
  return {
    accuracy: correct / heldOut.count,
    stated: Number(readSafetensors(weights).metadata.held_out_accuracy),
    heldOut: heldOut.count,
    weights,
  };
}

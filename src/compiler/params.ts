// The parameter table: every tensor a layer owns, named `<G|D>.<layer index>.<layer kind>.<role>`.
// Initialisation follows PyTorch's defaults so runs compare with PyTorch baselines: weights and biases
// U(±1/sqrt(fanIn)), where a transposed convolution's fanIn is out·kh·kw (PyTorch reads it from the
// weight's second axis, which for ConvTranspose2d is the output channels).
import type { NetworkName, ParamSpec, Shape } from '../ir/ir.js';
import type { LayerConfig } from './shapes.js';

export function layerParams(
  network: NetworkName, index: number, layer: LayerConfig, input: Shape, spectralNorm: boolean,
): ParamSpec[] {
  const name = (role: string): string => `${network}.${index}.${layer.kind}.${role}`;
  // Spectral normalisation's power-iteration vector: state, not a weight.
  const snVector = (out: number): ParamSpec => ({
    name: name('sn_u'), role: 'sn_u', shape: [out], layout: ['out'], trainable: false, init: { kind: 'normal_unit' },
  });
  const weighted = (kernel: Shape, layout: string[], fanIn: number, out: number): ParamSpec[] => [
    { name: name('kernel'), role: 'kernel', shape: kernel, layout, trainable: true, init: { kind: 'uniform_fan_in', fanIn } },
    { name: name('bias'), role: 'bias', shape: [out], layout: ['out'], trainable: true, init: { kind: 'uniform_fan_in', fanIn } },
    ...(spectralNorm ? [snVector(out)] : []),
  ];
  switch (layer.kind) {
    case 'dense':
      return weighted([input[0], layer.units], ['in', 'out'], input[0], layer.units);
    case 'conv': {
      const k = layer.kernel;
      const channels = input[2];
      return weighted([k, k, channels, layer.filters], ['kh', 'kw', 'in', 'out'], k * k * channels, layer.filters);
    }
    case 'deconv': {
      const k = layer.kernel;
      return weighted([k, k, layer.filters, input[2]], ['kh', 'kw', 'out', 'in'], k * k * layer.filters, layer.filters);
    }
    case 'batchnorm': {
      const c = [input[input.length - 1]];
      const perChannel = (role: ParamSpec['role'], trainable: boolean, init: 'ones' | 'zeros'): ParamSpec => ({
        name: name(role), role, shape: c, layout: ['c'], trainable, init: { kind: init },
      });
      return [
        perChannel('gamma', true, 'ones'), perChannel('beta', true, 'zeros'),
        perChannel('running_mean', false, 'zeros'), perChannel('running_var', false, 'ones'),
      ];
    }
    default:
      return [];
  }
}

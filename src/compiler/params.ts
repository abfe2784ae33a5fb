// The parameter table: every tensor a layer owns, named `<G|D>.<layer index>.<layer kind>.<role>` (a
// residual block's with its part: `D.0.resblock.conv1.kernel`). Without an `init`, initialisation follows
// PyTorch's defaults so runs compare with PyTorch baselines: weights and biases U(±1/sqrt(fanIn)), where a
// transposed convolution's fanIn is out·kh·kw (PyTorch reads it from the weight's second axis, which for
// ConvTranspose2d is the output channels). With an `init` scheme, kernels follow it and biases start at 0.
import type { NetworkName, ParamInit, ParamSpec, Shape } from '../ir/ir.js';
import type { PlacedConfig } from './shapes.js';

/** The `init` statement's and layer option's schemes (ParamInit in ir.ts says what each draws). */
export type InitScheme =
  | { kind: 'kaiming' }
  | { kind: 'xavier' }
  | { kind: 'normal'; std: number }
  | { kind: 'orthogonal' };

function kernelInit(scheme: InitScheme | undefined, fanIn: number, fanOut: number): ParamInit {
  switch (scheme?.kind) {
    case undefined: return { kind: 'uniform_fan_in', fanIn };
    case 'kaiming': return { kind: 'kaiming_normal', fanIn };
    case 'xavier': return { kind: 'xavier_uniform', fanIn, fanOut };
    case 'normal': return { kind: 'normal', std: scheme.std };
    case 'orthogonal': return { kind: 'orthogonal' };
  }
}

export function layerParams(
  network: NetworkName, index: number, layer: PlacedConfig, input: Shape, spectralNorm: boolean, init?: InitScheme,
): ParamSpec[] {
  const prefix = `${network}.${index}.${layer.kind}`;
  /** A kernel, its bias unless `bias` is false, and spectral normalisation's power-iteration vector (state, not a weight). */
  const weighted = (
    part: string, kernel: Shape, layout: string[], fans: [number, number], out: number, bias = true,
  ): ParamSpec[] => {
    const name = (role: string): string => `${prefix}${part}.${role}`;
    return [
      { name: name('kernel'), role: 'kernel', shape: kernel, layout, trainable: true, init: kernelInit(init, ...fans) },
      ...(bias ? [{
        name: name('bias'), role: 'bias', shape: [out], layout: ['out'], trainable: true,
        init: init ? { kind: 'zeros' } : { kind: 'uniform_fan_in', fanIn: fans[0] },
      } satisfies ParamSpec] : []),
      ...(spectralNorm ? [{
        name: name('sn_u'), role: 'sn_u', shape: [out], layout: ['out'], trainable: false, init: { kind: 'normal_unit' },
      } satisfies ParamSpec] : []),
    ];
  };
  const conv = (part: string, k: number, channels: number, filters: number, bias = true): ParamSpec[] =>
    weighted(part, [k, k, channels, filters], ['kh', 'kw', 'in', 'out'], [k * k * channels, k * k * filters], filters, bias);
  const batchNorm = (part: string, channels: number): ParamSpec[] => {
    const perChannel = (role: ParamSpec['role'], trainable: boolean, start: 'ones' | 'zeros'): ParamSpec => ({
      name: `${prefix}${part}.${role}`, role, shape: [channels], layout: ['c'], trainable, init: { kind: start },
    });
    return [
      perChannel('gamma', true, 'ones'), perChannel('beta', true, 'zeros'),
      perChannel('running_mean', false, 'zeros'), perChannel('running_var', false, 'ones'),
    ];
  };
  switch (layer.kind) {
    case 'dense':
      return weighted('', [input[0], layer.units], ['in', 'out'], [input[0], layer.units], layer.units, layer.bias);
    case 'conv':
      return conv('', layer.kernel, input[2], layer.filters, layer.bias);
    case 'deconv': {
      const k = layer.kernel;
      return weighted('', [k, k, layer.filters, input[2]], ['kh', 'kw', 'out', 'in'],
        [k * k * layer.filters, k * k * input[2]], layer.filters, layer.bias);
    }
    case 'batchnorm':
      return batchNorm('', input[input.length - 1]);
    case 'cbatchnorm': {
      // Per-class gamma/beta rows; the running statistics are shared, as in batchnorm.
      const c = input[input.length - 1];
      const perClass = (role: 'gamma' | 'beta', start: 'ones' | 'zeros'): ParamSpec => ({
        name: `${prefix}.${role}`, role, shape: [layer.classes, c], layout: ['class', 'c'], trainable: true, init: { kind: start },
      });
      return [perClass('gamma', 'ones'), perClass('beta', 'zeros'), ...batchNorm('', c).slice(2)];
    }
    case 'projection':
      // Spectrally normalised under `normalize D sn` like the authors' SNEmbedID (sngan_projection) and mimicry's
      // SNEmbedding: σ of the [classes, C] matrix, with u over the classes as torch.nn.utils.spectral_norm has it.
      return [{
        name: `${prefix}.embedding`, role: 'embedding', shape: [layer.classes, input[0]], layout: ['class', 'c'], trainable: true,
        init: { kind: 'xavier_uniform', fanIn: input[0], fanOut: layer.classes },
      }, ...(spectralNorm ? [{
        name: `${prefix}.sn_u`, role: 'sn_u', shape: [layer.classes], layout: ['class'], trainable: false, init: { kind: 'normal_unit' },
      } satisfies ParamSpec] : [])];
    case 'resblock': {
      const channels = input[2];
      const norm = layer.batchnorm !== null;
      return [
        ...(norm ? batchNorm('.bn1', channels) : []),
        ...conv('.conv1', 3, channels, layer.hidden),
        ...(norm ? batchNorm('.bn2', layer.hidden) : []),
        ...conv('.conv2', 3, layer.hidden, layer.filters),
        ...(layer.shortcut === 'conv' ? conv('.shortcut', 1, channels, layer.filters) : []),
      ];
    }
    default:
      return [];
  }
}

/** Whether a layer kind owns weights that an `init` scheme applies to. */
export const hasKernels = (kind: string): boolean => ['dense', 'conv', 'deconv', 'resblock'].includes(kind);

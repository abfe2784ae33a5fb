// What a normalization of D is: a reparameterisation of D's kernels (spectral), a change of D's
// output (gradient normalisations), or neither.
import type { DiscriminatorFn } from '../tensor-ops.js';

export interface NormalizationDefinition {
  readonly name: string;
  readonly definition: string;
  readonly source: string;
  /**
   * Every D kernel W is used as W/σ(W), σ from one power iteration per D step with a persistent vector
   * u ∈ R^out (a non-trainable buffer the checker adds to each kernel layer).
   */
  readonly spectral: boolean;
  /**
   * D as the losses and formulas see it, when the normalization changes D's output. A wrap that uses
   * ∇ₓf makes every gradient of a loss through D one order higher.
   */
  wrap?(f: DiscriminatorFn): DiscriminatorFn;
}

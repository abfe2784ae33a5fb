// Training-mode batch norm forward in one kernel: the statistics of a batch and the normalised output.
#pragma once

namespace ganc {

// x is rows x channels (an NHWC activation: rows = N*H*W). Writes the per-channel mean and biased variance
// over the rows and y = ((x - mean) * rsqrt(variance + eps)) * gamma + beta, with the same floats as ganc's
// Mean, Sub, Square, Mean, Add, Rsqrt, Multiply, Multiply and Add kernels run one after another (the
// primitives of batchNormTrain in src/runtime/autodiff/ops.ts), in four passes over x instead of twelve.
// scale is 1 / rows as the Mean kernel receives it (a float).
void batch_norm_train(const float* x, long rows, long channels, const float* gamma, const float* beta, float eps,
                      float scale, float* y, float* mean, float* variance);

}  // namespace ganc

// Training-mode batch norm in one kernel each way: the statistics of a batch and the normalised output, and
// their first derivatives.
#pragma once

namespace ganc {

// x is rows x channels (an NHWC activation: rows = N*H*W). Writes the per-channel mean and biased variance
// over the rows and y = ((x - mean) * rsqrt(variance + eps)) * gamma + beta, with the same floats as ganc's
// Mean, Sub, Square, Mean, Add, Rsqrt, Multiply, Multiply and Add kernels run one after another (the
// primitives of batchNormTrain in src/runtime/autodiff/ops.ts), in four passes over x instead of twelve.
// scale is 1 / rows as the Mean kernel receives it (a float).
void batch_norm_train(const float* x, long rows, long channels, const float* gamma, const float* beta, float eps,
                      float scale, float* y, float* mean, float* variance);

// The derivatives of batch_norm_train's outputs y, mean and variance (dy, dmean, dvariance) with respect to x,
// gamma and beta, from the mean and variance it computed: dx (rows x channels), dgamma and dbeta (channels).
// First derivatives only: for use where nothing differentiates the result again.
void batch_norm_train_grad(const float* x, const float* dy, long rows, long channels, const float* mean,
                           const float* variance, const float* gamma, const float* dmean, const float* dvariance,
                           float eps, float* dx, float* dgamma, float* dbeta);

}  // namespace ganc

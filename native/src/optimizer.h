// Optimizer updates fused into one pass over a parameter: the op-by-op Adam update reads and writes
// each parameter-sized array about fourteen times per step, and allocates as many.
#pragma once

namespace ganc {

struct AdamSettings {
  double lr, beta1, beta2, eps;
  long step;  // 1 for the first update (bias correction)
};

// PyTorch 1.13's Adam (torch.optim.Adam, no weight decay, no amsgrad), in its order of float32 operations:
//   m' = beta1 m + (1 - beta1) g;  v' = beta2 v + (1 - beta2) g²
//   p' = p - lr / (1 - beta1^t) · m' / (sqrt(v') / sqrt(1 - beta2^t) + eps)
// Inputs and outputs may not alias.
void adam_update(const AdamSettings& s, const float* param, const float* m, const float* v, const float* grad,
                 float* param_out, float* m_out, float* v_out, long size);

}  // namespace ganc

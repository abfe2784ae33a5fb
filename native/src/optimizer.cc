#include "optimizer.h"

#include <cmath>

#include "thread_pool.h"

namespace ganc {
namespace {
// Below this many elements one thread is faster than waking the pool.
constexpr long kParallelElements = 1L << 15;
}  // namespace

void adam_update(const AdamSettings& s, const float* param, const float* m, const float* v, const float* grad,
                 float* param_out, float* m_out, float* v_out, long size) {
  // Scalars as PyTorch forms them: in double, then used as float32 by the tensor ops.
  const float beta1 = static_cast<float>(s.beta1), beta2 = static_cast<float>(s.beta2);
  const float one_minus_beta1 = static_cast<float>(1.0 - s.beta1), one_minus_beta2 = static_cast<float>(1.0 - s.beta2);
  const float neg_step_size = static_cast<float>(-s.lr / (1.0 - std::pow(s.beta1, static_cast<double>(s.step))));
  const float bias_correction2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(s.beta2, static_cast<double>(s.step))));
  const float eps = static_cast<float>(s.eps);
  const int tasks = size >= kParallelElements ? thread_count() : 1;
  parallel_for(tasks, [&](int task, int) {
    const long end = size * (task + 1) / tasks;
    for (long i = size * task / tasks; i < end; ++i) {
      const float g = grad[i];
      const float m1 = m[i] * beta1 + one_minus_beta1 * g;
      const float v1 = v[i] * beta2 + one_minus_beta2 * g * g;
      const float denom = std::sqrt(v1) / bias_correction2_sqrt + eps;
      m_out[i] = m1;
      v_out[i] = v1;
      param_out[i] = param[i] + neg_step_size * (m1 / denom);
    }
  });
}

}  // namespace ganc

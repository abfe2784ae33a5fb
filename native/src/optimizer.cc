#include "optimizer.h"

#include <immintrin.h>

#include <cmath>

#include "thread_pool.h"

namespace ganc {
namespace {
// Below this many elements one thread is faster than waking the pool.
constexpr long kParallelElements = 1L << 15;

struct AdamScalars {
  float beta1, beta2, one_minus_beta1, one_minus_beta2, neg_step_size, bias_correction2_sqrt, eps;
};

// Elements [begin, end): the scalar loop's operations, 8 at a time. Multiplies, adds, square roots and
// divisions, never fused (the target has no FMA), so every float is the same as the scalar loop's.
__attribute__((target("avx2"))) void adam_range_avx2(const AdamScalars& s, const float* param, const float* m, const float* v,
                                                     const float* grad, float* param_out, float* m_out, float* v_out,
                                                     long begin, long end) {
  const __m256 beta1 = _mm256_set1_ps(s.beta1), beta2 = _mm256_set1_ps(s.beta2);
  const __m256 omb1 = _mm256_set1_ps(s.one_minus_beta1), omb2 = _mm256_set1_ps(s.one_minus_beta2);
  const __m256 neg_step = _mm256_set1_ps(s.neg_step_size), bc2 = _mm256_set1_ps(s.bias_correction2_sqrt);
  const __m256 eps = _mm256_set1_ps(s.eps);
  long i = begin;
  for (; i + 8 <= end; i += 8) {
    const __m256 g = _mm256_loadu_ps(grad + i);
    const __m256 m1 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(m + i), beta1), _mm256_mul_ps(omb1, g));
    const __m256 v1 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + i), beta2), _mm256_mul_ps(_mm256_mul_ps(omb2, g), g));
    const __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(v1), bc2), eps);
    _mm256_storeu_ps(m_out + i, m1);
    _mm256_storeu_ps(v_out + i, v1);
    _mm256_storeu_ps(param_out + i, _mm256_add_ps(_mm256_loadu_ps(param + i), _mm256_mul_ps(neg_step, _mm256_div_ps(m1, denom))));
  }
  for (; i < end; ++i) {
    const float g = grad[i];
    const float m1 = m[i] * s.beta1 + s.one_minus_beta1 * g;
    const float v1 = v[i] * s.beta2 + s.one_minus_beta2 * g * g;
    const float denom = std::sqrt(v1) / s.bias_correction2_sqrt + s.eps;
    m_out[i] = m1;
    v_out[i] = v1;
    param_out[i] = param[i] + s.neg_step_size * (m1 / denom);
  }
}

const bool has_avx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}();

}  // namespace

void adam_update(const AdamSettings& s, const float* param, const float* m, const float* v, const float* grad,
                 float* param_out, float* m_out, float* v_out, long size) {
  // Scalars as PyTorch forms them: in double, then used as float32 by the tensor ops.
  const float beta1 = static_cast<float>(s.beta1), beta2 = static_cast<float>(s.beta2);
  const float one_minus_beta1 = static_cast<float>(1.0 - s.beta1), one_minus_beta2 = static_cast<float>(1.0 - s.beta2);
  const float neg_step_size = static_cast<float>(-s.lr / (1.0 - std::pow(s.beta1, static_cast<double>(s.step))));
  const float bias_correction2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(s.beta2, static_cast<double>(s.step))));
  const float eps = static_cast<float>(s.eps);
  // Several tasks per thread (see elementwise.cc, tasks_for): a late worker never holds the caller up long.
  const int tasks = size < kParallelElements || thread_count() == 1
                        ? 1
                        : static_cast<int>(std::min<long>(4L * thread_count(), size / (kParallelElements / 2)));
  const AdamScalars scalars{beta1, beta2, one_minus_beta1, one_minus_beta2, neg_step_size, bias_correction2_sqrt, eps};
  parallel_for(tasks, [&](int task, int) {
    const long end = size * (task + 1) / tasks;
    if (has_avx2) return adam_range_avx2(scalars, param, m, v, grad, param_out, m_out, v_out, size * task / tasks, end);
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

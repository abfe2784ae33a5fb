#include "batch_norm.h"

#include <cmath>
#include <memory>
#include <vector>

#include "elementwise.h"
#include "thread_pool.h"

namespace ganc {
namespace {

// fn(row0, row1) over ranges of whole rows, as many as an elementwise pass over x has tasks. Each element's
// value does not depend on the split (the reductions are reduce_sum's, whose partition depends on the sizes
// and thread count only).
template <typename Fn>
void for_row_ranges(long rows, long channels, Fn fn) {
  const int tasks = tasks_for(rows * channels);
  parallel_for(tasks, [&](int task, int) { fn(rows * task / tasks, rows * (task + 1) / tasks); });
}

// The Add and Rsqrt kernels' floats.
float rsqrt_of(float variance, float eps) { return reciprocal_sqrt(variance + eps); }

}  // namespace

// Written without fused multiply-adds (this file is built for baseline x86-64): each step rounds to float as
// the separate kernels do.
void batch_norm_train(const float* x, long rows, long channels, const float* gamma, const float* beta, float eps,
                      float scale, float* y, float* mean, float* variance) {
  reduce_sum(x, 1, rows, channels, scale, mean);
  // The squared deviations are stored and summed by reduce_sum itself, so the variance's bits are the Mean
  // kernel's on Square(Sub(x, mean)).
  std::unique_ptr<float[]> squares(new float[static_cast<size_t>(rows * channels)]);  // every element written
  for_row_ranges(rows, channels, [&](long row0, long row1) {
    for (long r = row0; r < row1; ++r) {
      const float* xr = x + r * channels;
      float* sr = squares.get() + r * channels;
      for (long c = 0; c < channels; ++c) {
        const float centered = xr[c] - mean[c];
        sr[c] = centered * centered;
      }
    }
  });
  reduce_sum(squares.get(), 1, rows, channels, scale, variance);
  std::vector<float> rstd(static_cast<size_t>(channels));
  for (long c = 0; c < channels; ++c) rstd[c] = rsqrt_of(variance[c], eps);
  for_row_ranges(rows, channels, [&](long row0, long row1) {
    for (long r = row0; r < row1; ++r) {
      const float* xr = x + r * channels;
      float* yr = y + r * channels;
      for (long c = 0; c < channels; ++c) {
        const float normalised = (xr[c] - mean[c]) * rstd[c];
        const float scaled = normalised * gamma[c];
        yr[c] = scaled + beta[c];
      }
    }
  });
}

// Two passes over x and dy: the per-channel sums of dy and dy * x̂ (fixed row ranges, each summed in double
// and then added in range order, so the result depends on the thread count only), then dx.
void batch_norm_train_grad(const float* x, const float* dy, long rows, long channels, const float* mean,
                           const float* variance, const float* gamma, const float* dmean, const float* dvariance,
                           float eps, float* dx, float* dgamma, float* dbeta) {
  std::vector<float> rstd(static_cast<size_t>(channels));
  for (long c = 0; c < channels; ++c) rstd[c] = rsqrt_of(variance[c], eps);
  const int parts = tasks_for(rows * channels);
  // Per part: channels sums of dy, then channels sums of dy * x̂.
  std::vector<double> sums(static_cast<size_t>(parts) * 2 * channels, 0.0);
  parallel_for(parts, [&](int part, int) {
    double* sum_dy = sums.data() + static_cast<size_t>(part) * 2 * channels;
    double* sum_dy_normalised = sum_dy + channels;
    for (long r = rows * part / parts; r < rows * (part + 1) / parts; ++r) {
      const float* xr = x + r * channels;
      const float* dyr = dy + r * channels;
      for (long c = 0; c < channels; ++c) {
        const float normalised = (xr[c] - mean[c]) * rstd[c];
        sum_dy[c] += dyr[c];
        sum_dy_normalised[c] += static_cast<double>(dyr[c]) * normalised;
      }
    }
  });
  // dx = k·dy + x̂·slope + offset per channel (the gradient rule's closed form, gradient-rules.ts).
  std::vector<float> k(static_cast<size_t>(channels)), slope(k.size()), offset(k.size());
  const double n = static_cast<double>(rows);
  for (long c = 0; c < channels; ++c) {
    double sum_dy = 0.0, sum_dy_normalised = 0.0;
    for (int part = 0; part < parts; ++part) {
      sum_dy += sums[static_cast<size_t>(part) * 2 * channels + c];
      sum_dy_normalised += sums[static_cast<size_t>(part) * 2 * channels + channels + c];
    }
    const double kc = static_cast<double>(gamma[c]) * rstd[c];
    k[c] = static_cast<float>(kc);
    slope[c] = static_cast<float>(2.0 * dvariance[c] / (n * rstd[c]) - kc * sum_dy_normalised / n);
    offset[c] = static_cast<float>((dmean[c] - kc * sum_dy) / n);
    dgamma[c] = static_cast<float>(sum_dy_normalised);
    dbeta[c] = static_cast<float>(sum_dy);
  }
  for_row_ranges(rows, channels, [&](long row0, long row1) {
    for (long r = row0; r < row1; ++r) {
      const float* xr = x + r * channels;
      const float* dyr = dy + r * channels;
      float* dxr = dx + r * channels;
      for (long c = 0; c < channels; ++c) {
        const float normalised = (xr[c] - mean[c]) * rstd[c];
        dxr[c] = k[c] * dyr[c] + normalised * slope[c] + offset[c];
      }
    }
  });
}

}  // namespace ganc

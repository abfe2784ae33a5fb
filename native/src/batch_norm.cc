#include "batch_norm.h"

#include <cmath>
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

}  // namespace

// Written without fused multiply-adds (this file is built for baseline x86-64): each step rounds to float as
// the separate kernels do.
void batch_norm_train(const float* x, long rows, long channels, const float* gamma, const float* beta, float eps,
                      float scale, float* y, float* mean, float* variance) {
  reduce_sum(x, 1, rows, channels, scale, mean);
  // The squared deviations are stored and summed by reduce_sum itself, so the variance's bits are the Mean
  // kernel's on Square(Sub(x, mean)).
  std::vector<float> squares(static_cast<size_t>(rows * channels));
  for_row_ranges(rows, channels, [&](long row0, long row1) {
    for (long r = row0; r < row1; ++r) {
      const float* xr = x + r * channels;
      float* sr = squares.data() + r * channels;
      for (long c = 0; c < channels; ++c) {
        const float centered = xr[c] - mean[c];
        sr[c] = centered * centered;
      }
    }
  });
  reduce_sum(squares.data(), 1, rows, channels, scale, variance);
  std::vector<float> rstd(static_cast<size_t>(channels));
  for (long c = 0; c < channels; ++c) {
    const float shifted = variance[c] + eps;
    rstd[c] = static_cast<float>(1.0 / std::sqrt(double{shifted}));  // the Rsqrt kernel's formula
  }
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

}  // namespace ganc

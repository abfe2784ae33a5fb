#include "conv2d.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "gemm.h"
#include "micro_kernel.h"
#include "thread_pool.h"

namespace ganc {
namespace {

// Column buffers per task stay around this many floats (4 MB), so a batch is done in slices
// that fit the cache hierarchy instead of one huge im2col matrix.
constexpr long kColumnBudget = 1L << 20;
// Fewer rows than this per task and the per-task repacking of the filter starts to show.
constexpr long kMinRowsPerTask = 128;
// Below this many floats one thread adds partial filter gradients faster than waking the pool.
constexpr long kParallelSum = 1L << 15;

long patch_size(const ConvGeometry& g) { return static_cast<long>(g.filter_h) * g.filter_w * g.in_c; }
long pixels_per_image(const ConvGeometry& g) { return static_cast<long>(g.out_h) * g.out_w; }

float* scratch(size_t size) {
  static thread_local std::vector<float> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

// How many tasks to cut `rows` output pixels into: enough to bound the column buffer and to
// balance threads (the cores are often shared), not so many that the filter is repacked needlessly.
int task_count(long rows, long row_size) {
  const long by_memory = (rows * row_size + kColumnBudget - 1) / kColumnBudget;
  const long by_balance = std::min<long>(2L * thread_count(), (rows + kMinRowsPerTask - 1) / kMinRowsPerTask);
  return static_cast<int>(std::max({1L, by_memory, by_balance}));
}

// Visits the input pixel under each filter tap of output rows [row0, row1): fn(row, tap, x_offset) with
// x_offset the NHWC offset of that pixel's channel 0, or -1 where the tap falls in the padding.
// Always inlined: left to itself GCC may keep it out of line from im2col, a per-tap call that cost the
// small first-layer convolutions ~7%.
template <typename Fn>
__attribute__((always_inline)) inline void for_each_tap(const ConvGeometry& g, long row0, long row1, Fn fn) {
  for (long row = row0; row < row1; ++row) {
    const long n = row / pixels_per_image(g);
    const long pixel = row % pixels_per_image(g);
    const int top = static_cast<int>(pixel / g.out_w) * g.stride_h - g.pad_top;
    const int left = static_cast<int>(pixel % g.out_w) * g.stride_w - g.pad_left;
    for (int fh = 0; fh < g.filter_h; ++fh) {
      const int ih = top + fh;
      for (int fw = 0; fw < g.filter_w; ++fw) {
        const int iw = left + fw;
        const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
        const long offset = inside ? ((n * g.in_h + ih) * g.in_w + iw) * g.in_c : -1;
        fn(row, fh * g.filter_w + fw, offset);
      }
    }
  }
}

// The adjoint of im2col: adds each column entry back onto the input pixel it came from.
void col2im_add(const ConvGeometry& g, const float* cols, long row0, long row1, float* dx) {
  const long k = patch_size(g);
  for_each_tap(g, row0, row1, [&](long row, int tap, long offset) {
    if (offset < 0) return;
    const float* src = cols + (row - row0) * k + static_cast<long>(tap) * g.in_c;
    float* dst = dx + offset;
    for (int c = 0; c < g.in_c; ++c) dst[c] += src[c];
  });
}

// Where output row `row`'s patch starts: its image and the input pixel under filter tap (0, 0).
struct PatchOrigin {
  long n;
  int top;
  int left;
};

inline PatchOrigin patch_origin(const ConvGeometry& g, long row) {
  const long pixel = row % pixels_per_image(g);
  return {row / pixels_per_image(g), static_cast<int>(pixel / g.out_w) * g.stride_h - g.pad_top,
          static_cast<int>(pixel % g.out_w) * g.stride_w - g.pad_left};
}

// NHWC offset of channel 0 of the input pixel under `tap` of a patch, or -1 in the padding.
inline long tap_offset(const ConvGeometry& g, const PatchOrigin& o, int tap) {
  const int ih = o.top + tap / g.filter_w, iw = o.left + tap % g.filter_w;
  return ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w ? ((o.n * g.in_h + ih) * g.in_w + iw) * g.in_c : -1;
}

// The gemm's A packing (gemm.h, PackA) for the im2col matrix of output rows starting at row0 (A[row, tap*in_c + c]),
// read straight from x: the same panels as packing a materialized im2col matrix, without writing and reading it.
PackA im2col_packer(const ConvGeometry& g, const float* x, long row0) {
  const bool vector = std::strcmp(isa_name(), "scalar") != 0;
  return [&g, x, row0, vector](int i0, int mc, int p0, int kc, int mr, float* dst) {
    const int first_tap = p0 / g.in_c, last_tap = (p0 + kc - 1) / g.in_c;
    PatchOrigin origins[kMaxMR];
    const float* rows[kMaxMR];
    for (int ir = 0; ir < mc; ir += mr) {
      const int used = std::min(mr, mc - ir);
      float* panel = dst + static_cast<long>(ir) * kc;
      for (int i = 0; i < used; ++i) origins[i] = patch_origin(g, row0 + i0 + ir + i);
      int fh = first_tap / g.filter_w, fw = first_tap % g.filter_w;
      for (int tap = first_tap; tap <= last_tap; ++tap) {
        const int c0 = std::max(0, p0 - tap * g.in_c), c1 = std::min(g.in_c, p0 + kc - tap * g.in_c);
        for (int i = 0; i < mr; ++i) {
          rows[i] = nullptr;
          if (i >= used) continue;
          const int ih = origins[i].top + fh, iw = origins[i].left + fw;
          if (ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w) rows[i] = x + ((origins[i].n * g.in_h + ih) * g.in_w + iw) * g.in_c;
        }
        float* d = panel + static_cast<long>(tap * g.in_c + c0 - p0) * mr;
        if (vector) {
          pack_rows(rows, mr, c0, c1, d);
        } else {
          for (int c = c0; c < c1; ++c, d += mr) {
            for (int i = 0; i < mr; ++i) d[i] = rows[i] ? rows[i][c] : 0.0f;
          }
        }
        if (++fw == g.filter_w) fw = 0, ++fh;
      }
    }
  };
}

// The gemm's A packing for the transposed im2col matrix of output rows starting at row0 (A[tap*in_c + c, row]),
// read straight from x: for each output row (depth step), the patch entries of rows [i0, i0+mc) as runs of
// contiguous channels, each cut where a panel ends.
PackA im2col_transposed_packer(const ConvGeometry& g, const float* x, long row0) {
  return [&g, x, row0](int i0, int mc, int p0, int kc, int mr, float* dst) {
    const long panel_size = static_cast<long>(mr) * kc;
    const int used = mc % mr;  // rows of the last panel, when it is partial
    const int first_tap = i0 / g.in_c, last_tap = (i0 + mc - 1) / g.in_c;
    for (int p = 0; p < kc; ++p) {
      const PatchOrigin o = patch_origin(g, row0 + p0 + p);
      float* column = dst + static_cast<long>(p) * mr;
      float* d = column;  // where the next entry goes: row r of panel q
      int r = 0;
      int fh = first_tap / g.filter_w, fw = first_tap % g.filter_w;
      for (int tap = first_tap; tap <= last_tap; ++tap) {
        const int c0 = std::max(0, i0 - tap * g.in_c), c1 = std::min(g.in_c, i0 + mc - tap * g.in_c);
        const int ih = o.top + fh, iw = o.left + fw;
        const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
        const float* src = inside ? x + ((o.n * g.in_h + ih) * g.in_w + iw) * g.in_c : nullptr;
        for (int c = c0; c < c1;) {
          const int count = std::min(c1 - c, mr - r);
          if (src) {
            for (int j = 0; j < count; ++j) d[j] = src[c + j];
          } else {
            for (int j = 0; j < count; ++j) d[j] = 0.0f;
          }
          c += count;
          r += count;
          d += count;
          if (r == mr) r = 0, d += panel_size - mr;
        }
        if (++fw == g.filter_w) fw = 0, ++fh;
      }
      if (used) std::fill(column + (mc / mr) * panel_size + used, column + (mc / mr) * panel_size + mr, 0.0f);
    }
  };
}

// Direct kernels for convolutions with few input channels (the first layer of an image network, or
// a generator's last deconvolution): their patches are a handful of floats, too short for a packed gemm
// to pay off. They compute every output element with the same FMAs, in the same order, as the gemm route
// (padding taps included as zeros), so either route gives the same bits. They need AVX2+FMA, as the
// gemm's vector kernels; 8 output channels per vector.
constexpr int kDirectMaxInChannels = 4;

bool direct_applies(const ConvGeometry& g) {
  return g.in_c <= kDirectMaxInChannels && g.out_c % 8 == 0 && patch_size(g) <= kGemmDepthBlock &&
         std::strcmp(isa_name(), "scalar") != 0;
}

// patch[tap*C + c] = x under that tap of output row `row`, or 0 in the padding; C = in_c, a constant so that
// the channel copies are plain moves (a loop over a run-time count becomes a memcpy call per tap).
template <int C>
__attribute__((target("avx2,fma"), always_inline)) inline void gather_patch_of(const ConvGeometry& g, const float* x, long row, float* patch) {
  const PatchOrigin o = patch_origin(g, row);
  for (int fh = 0, tap = 0; fh < g.filter_h; ++fh) {
    const int ih = o.top + fh;
    const bool row_inside = ih >= 0 && ih < g.in_h;
    const float* x_row = x + (o.n * g.in_h + (row_inside ? ih : 0)) * g.in_w * C;
    for (int fw = 0; fw < g.filter_w; ++fw, ++tap) {
      const int iw = o.left + fw;
      float* dst = patch + tap * C;
      if (row_inside && iw >= 0 && iw < g.in_w) {
        for (int c = 0; c < C; ++c) dst[c] = x_row[iw * C + c];
      } else {
        for (int c = 0; c < C; ++c) dst[c] = 0.0f;
      }
    }
  }
}

__attribute__((target("avx2,fma"), always_inline)) inline void gather_patch(const ConvGeometry& g, const float* x,
                                                                            long row, float* patch) {
  static_assert(kDirectMaxInChannels == 4, "one case per channel count");
  switch (g.in_c) {
    case 1: return gather_patch_of<1>(g, x, row, patch);
    case 2: return gather_patch_of<2>(g, x, row, patch);
    case 3: return gather_patch_of<3>(g, x, row, patch);
    default: return gather_patch_of<4>(g, x, row, patch);
  }
}

// out[o0 .. o0 + 8*NV) = sum_p patch[p] * w[p, o] over p < k, one FMA chain per element from +0, then
// + bias[o] when there is a bias (one float add, as a separate Add of the bias would do).
template <int NV>
__attribute__((target("avx2,fma"), always_inline)) inline void direct_block(const float* patch, int k, const float* w,
                                                                            int ldw, const float* bias, ConvActivation act,
                                                                            float* out) {
  __m256 acc[NV];
  for (int j = 0; j < NV; ++j) acc[j] = _mm256_setzero_ps();
  for (int p = 0; p < k; ++p) {
    const __m256 xp = _mm256_broadcast_ss(patch + p);
    const float* wp = w + static_cast<long>(p) * ldw;
    for (int j = 0; j < NV; ++j) acc[j] = _mm256_fmadd_ps(xp, _mm256_loadu_ps(wp + 8 * j), acc[j]);
  }
  if (bias) {
    for (int j = 0; j < NV; ++j) acc[j] = _mm256_add_ps(acc[j], _mm256_loadu_ps(bias + 8 * j));
  }
  if (act.leaky) {
    // max(v, 0) + alpha * min(v, 0) as the LeakyRelu kernel computes it (operand order keeps NaN and -0 as std::max/min do).
    const __m256 zero = _mm256_setzero_ps(), alpha = _mm256_set1_ps(act.alpha);
    for (int j = 0; j < NV; ++j) {
      acc[j] = _mm256_add_ps(_mm256_max_ps(zero, acc[j]), _mm256_mul_ps(alpha, _mm256_min_ps(zero, acc[j])));
    }
  }
  for (int j = 0; j < NV; ++j) _mm256_storeu_ps(out + 8 * j, acc[j]);
}

__attribute__((target("avx2,fma"))) void direct_forward(const ConvGeometry& g, const float* x, const float* w,
                                                         const float* bias, ConvActivation act, float* y, long row0,
                                                         long row1) {
  const int k = static_cast<int>(patch_size(g));
  alignas(32) float patch[kGemmDepthBlock];
  for (long row = row0; row < row1; ++row) {
    gather_patch(g, x, row, patch);
    float* out = y + row * g.out_c;
    int o0 = 0;
    for (; o0 + 64 <= g.out_c; o0 += 64) direct_block<8>(patch, k, w + o0, g.out_c, bias ? bias + o0 : nullptr, act, out + o0);
    for (; o0 + 16 <= g.out_c; o0 += 16) direct_block<2>(patch, k, w + o0, g.out_c, bias ? bias + o0 : nullptr, act, out + o0);
    for (; o0 < g.out_c; o0 += 8) direct_block<1>(patch, k, w + o0, g.out_c, bias ? bias + o0 : nullptr, act, out + o0);
  }
}

// acc[p + t, o0 + 8j] = sum over `rows` rows r of patches[r, p + t] * dy[r, o0 + 8j], one FMA chain per element
// from +0 in order of r: NT taps x NV vectors of channels in registers.
template <int NT, int NV>
__attribute__((target("avx2,fma"), always_inline)) inline void filter_block(const float* patches, int k, int p,
                                                                            const float* dy, int ldd, int rows,
                                                                            float* acc, int ldacc) {
  __m256 a[NT][NV];
  for (int t = 0; t < NT; ++t) {
    for (int j = 0; j < NV; ++j) a[t][j] = _mm256_setzero_ps();
  }
  for (int r = 0; r < rows; ++r) {
    const float* d = dy + static_cast<long>(r) * ldd;
    __m256 dv[NV];
    for (int j = 0; j < NV; ++j) dv[j] = _mm256_loadu_ps(d + 8 * j);
    for (int t = 0; t < NT; ++t) {
      const __m256 xb = _mm256_broadcast_ss(patches + static_cast<long>(r) * k + p + t);
      for (int j = 0; j < NV; ++j) a[t][j] = _mm256_fmadd_ps(xb, dv[j], a[t][j]);
    }
  }
  for (int t = 0; t < NT; ++t) {
    for (int j = 0; j < NV; ++j) _mm256_storeu_ps(acc + static_cast<long>(p + t) * ldacc + 8 * j, a[t][j]);
  }
}

template <int NT>
__attribute__((target("avx2,fma"), always_inline)) inline void filter_taps(const float* patches, int k, int p,
                                                                           const float* dy, int out_c, int rows,
                                                                           float* acc) {
  int o0 = 0;
  for (; o0 + 32 <= out_c; o0 += 32) filter_block<NT, 4>(patches, k, p, dy + o0, out_c, rows, acc + o0, out_c);
  for (; o0 < out_c; o0 += 8) filter_block<NT, 1>(patches, k, p, dy + o0, out_c, rows, acc + o0, out_c);
}

// sum[p, o] (+)= sum over rows [row0, row1) of patch(row)[p] * dy[row, o], in depth blocks of kGemmDepthBlock
// rows as the gemm adds them: each block's sum from +0, then written (first block, when `overwrite`) or added.
__attribute__((target("avx2,fma"))) void direct_filter(const ConvGeometry& g, const float* x, const float* dy, float* sum,
                                                        long row0, long row1, bool overwrite) {
  const int k = static_cast<int>(patch_size(g));
  const long size = static_cast<long>(k) * g.out_c;
  std::vector<float> acc_buffer(size), patch_buffer(static_cast<size_t>(kGemmDepthBlock) * k);
  float* acc = acc_buffer.data();
  float* patches = patch_buffer.data();
  for (long b0 = row0; b0 < row1; b0 += kGemmDepthBlock) {
    const int rows = static_cast<int>(std::min<long>(kGemmDepthBlock, row1 - b0));
    for (int r = 0; r < rows; ++r) gather_patch(g, x, b0 + r, patches + static_cast<long>(r) * k);
    const float* d = dy + b0 * g.out_c;
    int p = 0;
    for (; p + 2 <= k; p += 2) filter_taps<2>(patches, k, p, d, g.out_c, rows, acc);
    for (; p < k; ++p) filter_taps<1>(patches, k, p, d, g.out_c, rows, acc);
    if (overwrite && b0 == row0) {
      std::copy_n(acc, size, sum);
    } else {
      for (long i = 0; i < size; ++i) sum[i] += acc[i];
    }
  }
}

}  // namespace

void conv2d(const ConvGeometry& g, const float* x, const float* w, float* y, const float* bias, ConvActivation act) {
  const long rows = g.batch * pixels_per_image(g);
  const long k = patch_size(g);
  const int tasks = task_count(rows, k);
  const bool direct = direct_applies(g);
  parallel_for(tasks, [&](int task, int) {
    const long row0 = rows * task / tasks;
    const long row1 = rows * (task + 1) / tasks;
    if (direct) return direct_forward(g, x, w, bias, act, y, row0, row1);
    sgemm_serial({false, false, static_cast<int>(row1 - row0), g.out_c, static_cast<int>(k), nullptr,
                  static_cast<int>(k), w, g.out_c, 0.0f, y + row0 * g.out_c, g.out_c},
                 im2col_packer(g, x, row0));
    if (!bias && !act.leaky) return;
    for (long row = row0; row < row1; ++row) {
      float* out = y + row * g.out_c;
      if (bias) {
        for (int o = 0; o < g.out_c; ++o) out[o] += bias[o];
      }
      if (act.leaky) {
        const float alpha = act.alpha;
        for (int o = 0; o < g.out_c; ++o) out[o] = std::max(out[o], 0.0f) + alpha * std::min(out[o], 0.0f);
      }
    }
  });
}

void conv2d_backprop_input(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  const long k = patch_size(g);
  const long image_size = static_cast<long>(g.in_h) * g.in_w * g.in_c;
  // Tasks own whole images, so the scatter-adds of two tasks never touch the same dx element.
  const int tasks = std::min(g.batch, task_count(g.batch * pixels_per_image(g), k));
  parallel_for(tasks, [&](int task, int) {
    const long image0 = static_cast<long>(g.batch) * task / tasks;
    const long image1 = static_cast<long>(g.batch) * (task + 1) / tasks;
    std::fill(dx + image0 * image_size, dx + image1 * image_size, 0.0f);
    // The columns of each row block go straight into dx while they are in cache; the same sums, added in the
    // same order (rows ascending) as through a column buffer.
    const long task_row0 = image0 * pixels_per_image(g), task_row1 = image1 * pixels_per_image(g);
    const bool fused = sgemm_serial_by_rows(
        {false, true, static_cast<int>(task_row1 - task_row0), static_cast<int>(k), g.out_c, dy + task_row0 * g.out_c,
         g.out_c, w, g.out_c, 0.0f, nullptr, static_cast<int>(k)},
        [&](int i0, int rows, const float* cols, int) { col2im_add(g, cols, task_row0 + i0, task_row0 + i0 + rows, dx); });
    if (fused) return;
    // (An empty image or patch would divide by zero: then any slice size does, nothing is computed.)
    const long images_per_slice = std::max(1L, kColumnBudget / std::max(1L, pixels_per_image(g) * k));
    for (long first = image0; first < image1; first += images_per_slice) {
      const long row0 = first * pixels_per_image(g);
      const long row1 = std::min(image1, first + images_per_slice) * pixels_per_image(g);
      float* cols = scratch((row1 - row0) * k);
      sgemm_serial({false, true, static_cast<int>(row1 - row0), static_cast<int>(k), g.out_c, dy + row0 * g.out_c,
                    g.out_c, w, g.out_c, 0.0f, cols, static_cast<int>(k)});
      col2im_add(g, cols, row0, row1, dx);
    }
  });
}

void conv2d_backprop_filter(const ConvGeometry& g, const float* x, const float* dy, float* dw) {
  const long rows = g.batch * pixels_per_image(g);
  const long k = patch_size(g);
  const long filter_size = k * g.out_c;
  const int tasks = task_count(rows, k);
  // Tasks split the reduction over output pixels into partial dw sums. So that the result is the same on
  // every run, which partial takes which rows, and the order they are added in, depend only on the sizes
  // and the thread count, never on which thread gets there first: part p adds tasks
  // [tasks*p/parts, tasks*(p+1)/parts) in task order, whichever thread runs it (part 0 straight into dw),
  // and the parts are then added in part order. Two parts per thread still balance shared cores.
  const int parts = std::min(tasks, 2 * thread_count());
  const bool direct = direct_applies(g);
  std::vector<std::unique_ptr<float[]>> partial(parts - 1);
  for (auto& sum : partial) sum.reset(new float[filter_size]);  // uninitialised: the first task writes with beta 0
  parallel_for(parts, [&](int part, int) {
    float* sum = part == 0 ? dw : partial[part - 1].get();
    const int first = static_cast<int>(static_cast<long>(tasks) * part / parts);
    const int last = static_cast<int>(static_cast<long>(tasks) * (part + 1) / parts);
    for (int task = first; task < last; ++task) {
      const long row0 = rows * task / tasks;
      const long row1 = rows * (task + 1) / tasks;
      if (direct) {
        direct_filter(g, x, dy, sum, row0, row1, task == first);
        continue;
      }
      sgemm_serial({true, false, static_cast<int>(k), g.out_c, static_cast<int>(row1 - row0), nullptr,
                    static_cast<int>(k), dy + row0 * g.out_c, g.out_c, task == first ? 0.0f : 1.0f, sum, g.out_c},
                   im2col_transposed_packer(g, x, row0));
    }
  });
  if (parts == 1) return;
  // dw = ((p0 + p1) + p2) + ... for every element; slices of dw over the threads.
  const int slices = filter_size >= kParallelSum ? thread_count() : 1;
  parallel_for(slices, [&](int slice, int) {
    const long i0 = filter_size * slice / slices, i1 = filter_size * (slice + 1) / slices;
    for (const auto& sum : partial) {
      const float* src = sum.get();
      for (long i = i0; i < i1; ++i) dw[i] += src[i];
    }
  });
}

}  // namespace ganc

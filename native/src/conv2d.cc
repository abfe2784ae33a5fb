#include "conv2d.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "gemm.h"
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

// cols[row - row0, tap * in_c + c] = x at that tap, or 0 in the padding.
void im2col(const ConvGeometry& g, const float* x, long row0, long row1, float* cols) {
  const long k = patch_size(g);
  for_each_tap(g, row0, row1, [&](long row, int tap, long offset) {
    float* dst = cols + (row - row0) * k + static_cast<long>(tap) * g.in_c;
    if (offset < 0) {
      std::memset(dst, 0, sizeof(float) * g.in_c);
    } else {
      std::memcpy(dst, x + offset, sizeof(float) * g.in_c);
    }
  });
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

}  // namespace

void conv2d(const ConvGeometry& g, const float* x, const float* w, float* y) {
  const long rows = g.batch * pixels_per_image(g);
  const long k = patch_size(g);
  const int tasks = task_count(rows, k);
  parallel_for(tasks, [&](int task, int) {
    const long row0 = rows * task / tasks;
    const long row1 = rows * (task + 1) / tasks;
    float* cols = scratch((row1 - row0) * k);
    im2col(g, x, row0, row1, cols);
    sgemm_serial({false, false, static_cast<int>(row1 - row0), g.out_c, static_cast<int>(k), cols,
                  static_cast<int>(k), w, g.out_c, 0.0f, y + row0 * g.out_c, g.out_c});
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
  std::vector<std::unique_ptr<float[]>> partial(parts - 1);
  for (auto& sum : partial) sum.reset(new float[filter_size]);  // uninitialised: the first task writes with beta 0
  parallel_for(parts, [&](int part, int) {
    float* sum = part == 0 ? dw : partial[part - 1].get();
    const int first = static_cast<int>(static_cast<long>(tasks) * part / parts);
    const int last = static_cast<int>(static_cast<long>(tasks) * (part + 1) / parts);
    for (int task = first; task < last; ++task) {
      const long row0 = rows * task / tasks;
      const long row1 = rows * (task + 1) / tasks;
      float* cols = scratch((row1 - row0) * k);
      im2col(g, x, row0, row1, cols);
      sgemm_serial({true, false, static_cast<int>(k), g.out_c, static_cast<int>(row1 - row0), cols,
                    static_cast<int>(k), dy + row0 * g.out_c, g.out_c, task == first ? 0.0f : 1.0f, sum, g.out_c});
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

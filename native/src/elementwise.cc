#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <immintrin.h>
#include <vector>

#include "thread_pool.h"

namespace ganc {
namespace {

// Below this many elements one thread is faster than waking the pool.
constexpr long kParallelElements = 1L << 15;
constexpr long kParallelCheapElements = 1L << 18;
constexpr int kMaxRank = 8;

inline uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

inline float float_of(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// 1 above 0, alpha otherwise, NaN stays NaN (as tfjs's step); masks, not branches.
inline float step_of(float v, float alpha) {
  const uint32_t positive = 0u - static_cast<uint32_t>(v > 0.0f);
  const uint32_t nan = 0u - static_cast<uint32_t>(v != v);
  const uint32_t bits = (bits_of(1.0f) & positive) | (bits_of(alpha) & ~positive & ~nan) | (bits_of(v) & nan);
  return float_of(bits);
}

// Threads for a reduction: its partial sums, and so its bits, depend on this count only.
int threads_for(long elements) { return elements >= kParallelElements ? thread_count() : 1; }

}  // namespace

// Tasks for an elementwise pass: one when small, else one to four per thread. The pool hands
// tasks out as threads come for them and a worker that slept through a long stretch of JavaScript can take
// tens of microseconds to start; with several smaller tasks the caller keeps working until the worker joins
// (a transcendental's tasks are smaller still). Each task's elements are fixed, so the results do not
// depend on which thread runs which task.
// A pass of cheap arithmetic over fewer elements than kParallelCheapElements (in L2: ~20 us) is over before a
// woken worker would start; transcendentals (~15 ns each) pay off from kParallelElements.
int tasks_for(long elements, bool transcendental) {
  if (elements < (transcendental ? kParallelElements : kParallelCheapElements) || thread_count() == 1) return 1;
  const long by_size = elements / (transcendental ? kParallelElements / 4 : kParallelElements / 2);
  return static_cast<int>(std::clamp<long>(by_size, thread_count(), 4L * thread_count()));
}

namespace {

// A broadcast binary op as rows of `inner` elements: row r of the output reads a and b at
// row_offset(r) with strides 0 (broadcast) or 1 along the row.
struct Broadcast {
  int rank = 0;  // of the coalesced outer dimensions
  long outer_shape[kMaxRank] = {};
  long a_outer_stride[kMaxRank] = {};
  long b_outer_stride[kMaxRank] = {};
  long rows = 1;
  long inner = 1;
  long a_inner_stride = 0;
  long b_inner_stride = 0;

  void offsets(long row, long* a_offset, long* b_offset) const {
    long a = 0, b = 0;
    for (int d = rank - 1; d >= 0; --d) {
      const long index = row % outer_shape[d];
      row /= outer_shape[d];
      a += index * a_outer_stride[d];
      b += index * b_outer_stride[d];
    }
    *a_offset = a;
    *b_offset = b;
  }
};

Broadcast plan_broadcast(const int32_t* a_shape, int a_rank, const int32_t* b_shape, int b_rank, const int32_t* out_shape,
                         int out_rank) {
  // Per output dimension: size and each operand's element stride (0 where it broadcasts).
  long size[kMaxRank], a_stride[kMaxRank], b_stride[kMaxRank];
  long a_step = 1, b_step = 1;
  for (int d = out_rank - 1; d >= 0; --d) {
    const int ad = d - (out_rank - a_rank), bd = d - (out_rank - b_rank);
    const long a_dim = ad >= 0 ? a_shape[ad] : 1, b_dim = bd >= 0 ? b_shape[bd] : 1;
    size[d] = out_shape[d];
    a_stride[d] = a_dim == 1 ? 0 : a_step;
    b_stride[d] = b_dim == 1 ? 0 : b_step;
    a_step *= a_dim;
    b_step *= b_dim;
  }
  // Merge neighbouring dimensions that are one contiguous (or one broadcast) run for both operands.
  long merged[kMaxRank], ma[kMaxRank], mb[kMaxRank];
  int rank = 0;
  for (int d = 0; d < out_rank; ++d) {
    if (size[d] == 1) continue;
    if (rank > 0) {
      const int p = rank - 1;
      const bool a_joins = ma[p] == a_stride[d] * size[d];
      const bool b_joins = mb[p] == b_stride[d] * size[d];
      if (a_joins && b_joins) {
        merged[p] *= size[d];
        ma[p] = a_stride[d];
        mb[p] = b_stride[d];
        continue;
      }
    }
    merged[rank] = size[d];
    ma[rank] = a_stride[d];
    mb[rank] = b_stride[d];
    ++rank;
  }
  Broadcast plan;
  if (rank == 0) return plan;  // a single element
  plan.inner = merged[rank - 1];
  plan.a_inner_stride = ma[rank - 1];
  plan.b_inner_stride = mb[rank - 1];
  plan.rank = rank - 1;
  for (int d = 0; d < plan.rank; ++d) {
    plan.outer_shape[d] = merged[d];
    plan.a_outer_stride[d] = ma[d];
    plan.b_outer_stride[d] = mb[d];
    plan.rows *= merged[d];
  }
  return plan;
}

// out[i] = fn(a[i * sa], b[i * sb]) for i < n, specialised on the strides (0 or 1) so loops vectorise.
template <typename Out, typename Fn>
inline void row_loop(const float* a, long sa, const float* b, long sb, Out* out, long n, Fn fn) {
  if (sa == 1 && sb == 1) {
    for (long i = 0; i < n; ++i) out[i] = fn(a[i], b[i]);
  } else if (sa == 1) {
    const float bv = b[0];
    for (long i = 0; i < n; ++i) out[i] = fn(a[i], bv);
  } else if (sb == 1) {
    const float av = a[0];
    for (long i = 0; i < n; ++i) out[i] = fn(av, b[i]);
  } else {
    const Out v = fn(a[0], b[0]);
    for (long i = 0; i < n; ++i) out[i] = v;
  }
}

template <typename Out, typename Fn>
void broadcast_apply(const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape, int b_rank,
                     Out* out, const int32_t* out_shape, int out_rank, Fn fn) {
  const Broadcast plan = plan_broadcast(a_shape, a_rank, b_shape, b_rank, out_shape, out_rank);
  const long total = plan.rows * plan.inner;
  const int tasks = tasks_for(total);
  // Many rows: tasks take whole rows. One long row: tasks take slices of it.
  const bool split_rows = plan.rows >= tasks;
  parallel_for(tasks, [&](int task, int) {
    const long r0 = split_rows ? plan.rows * task / tasks : 0;
    const long r1 = split_rows ? plan.rows * (task + 1) / tasks : plan.rows;
    const long c0 = split_rows ? 0 : plan.inner * task / tasks;
    const long c1 = split_rows ? plan.inner : plan.inner * (task + 1) / tasks;
    for (long row = r0; row < r1; ++row) {
      long ao, bo;
      plan.offsets(row, &ao, &bo);
      row_loop(a + ao + c0 * plan.a_inner_stride, plan.a_inner_stride, b + bo + c0 * plan.b_inner_stride,
               plan.b_inner_stride, out + row * plan.inner + c0, c1 - c0, fn);
    }
  });
}

template <typename Fn>
void map(const float* x, float* out, long size, Fn fn, bool transcendental = false) {
  const int tasks = tasks_for(size, transcendental);
  parallel_for(tasks, [&](int task, int) {
    const long end = size * (task + 1) / tasks;
    for (long i = size * task / tasks; i < end; ++i) out[i] = fn(x[i]);
  });
}

// Sum of n contiguous floats in double: 16 running sums (four 4-lane accumulators, element i in sum i % 16),
// combined in a fixed order, then the tail in order. Independent chains instead of one serial chain of adds.
__attribute__((target("avx2"))) double sum_contiguous_avx2(const float* x, long n) {
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd(), s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm_loadu_ps(x + i)));
    s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)));
    s2 = _mm256_add_pd(s2, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 8)));
    s3 = _mm256_add_pd(s3, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 12)));
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)));
  double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; ++i) sum += x[i];
  return sum;
}

const bool has_avx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}();

}  // namespace

void binary(BinaryOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
            int b_rank, float* out, const int32_t* out_shape, int out_rank) {
  auto run = [&](auto fn) { broadcast_apply(a, a_shape, a_rank, b, b_shape, b_rank, out, out_shape, out_rank, fn); };
  switch (op) {
    case BinaryOp::kAdd: return run([](float x, float y) { return x + y; });
    case BinaryOp::kSub: return run([](float x, float y) { return x - y; });
    case BinaryOp::kMul: return run([](float x, float y) { return x * y; });
    case BinaryOp::kDiv: return run([](float x, float y) { return x / y; });
    // tfjs: NaN in either input gives NaN.
    case BinaryOp::kMax: return run([](float x, float y) { return std::isnan(x) || std::isnan(y) ? NAN : std::max(x, y); });
    case BinaryOp::kMin: return run([](float x, float y) { return std::isnan(x) || std::isnan(y) ? NAN : std::min(x, y); });
    case BinaryOp::kSquaredDifference: return run([](float x, float y) { return (x - y) * (x - y); });
  }
}

void compare(CompareOp op, const float* a, const int32_t* a_shape, int a_rank, const float* b, const int32_t* b_shape,
             int b_rank, uint8_t* out, const int32_t* out_shape, int out_rank) {
  auto run = [&](auto fn) { broadcast_apply(a, a_shape, a_rank, b, b_shape, b_rank, out, out_shape, out_rank, fn); };
  switch (op) {
    case CompareOp::kGreater: return run([](float x, float y) -> uint8_t { return x > y; });
    case CompareOp::kGreaterEqual: return run([](float x, float y) -> uint8_t { return x >= y; });
    case CompareOp::kLess: return run([](float x, float y) -> uint8_t { return x < y; });
    case CompareOp::kLessEqual: return run([](float x, float y) -> uint8_t { return x <= y; });
    case CompareOp::kEqual: return run([](float x, float y) -> uint8_t { return x == y; });
    case CompareOp::kNotEqual: return run([](float x, float y) -> uint8_t { return x != y; });
  }
}

void unary(UnaryOp op, const float* x, float* out, long size, float alpha) {
  // Transcendentals in double, as JavaScript's Math computes them, so results match tfjs to the ulp.
  switch (op) {
    case UnaryOp::kNeg: return map(x, out, size, [](float v) { return -v; });
    case UnaryOp::kSquare: return map(x, out, size, [](float v) { return v * v; });
    case UnaryOp::kSqrt: return map(x, out, size, [](float v) { return std::sqrt(v); });
    case UnaryOp::kRsqrt: return map(x, out, size, [](float v) { return reciprocal_sqrt(v); });
    case UnaryOp::kReciprocal: return map(x, out, size, [](float v) { return static_cast<float>(1.0 / v); });
    case UnaryOp::kAbs: return map(x, out, size, [](float v) { return std::fabs(v); });
    case UnaryOp::kExp: return map(x, out, size, [](float v) { return static_cast<float>(std::exp(double{v})); }, true);
    case UnaryOp::kLog: return map(x, out, size, [](float v) { return static_cast<float>(std::log(double{v})); }, true);
    case UnaryOp::kTanh: return map(x, out, size, [](float v) { return static_cast<float>(std::tanh(double{v})); }, true);
    case UnaryOp::kSigmoid:
      return map(x, out, size, [](float v) { return static_cast<float>(1.0 / (1.0 + std::exp(-double{v}))); }, true);
    // Written without branches so they vectorise: activations' signs are random, and a branch per
    // element mispredicts half the time (8x slower here).
    case UnaryOp::kRelu: return map(x, out, size, [](float v) { return v < 0.0f ? 0.0f : v; });
    case UnaryOp::kLeakyRelu:
      return map(x, out, size, [alpha](float v) { return std::max(v, 0.0f) + alpha * std::min(v, 0.0f); });
    case UnaryOp::kStep: return map(x, out, size, [alpha](float v) { return step_of(v, alpha); });
    case UnaryOp::kOnesLike: return map(x, out, size, [](float) { return 1.0f; });
    case UnaryOp::kZerosLike: return map(x, out, size, [](float) { return 0.0f; });
  }
}

void step_multiply(const float* dy, const float* x, float alpha, float* out, long size) {
  const int tasks = tasks_for(size);
  parallel_for(tasks, [&](int task, int) {
    const long end = size * (task + 1) / tasks;
    for (long i = size * task / tasks; i < end; ++i) out[i] = dy[i] * step_of(x[i], alpha);
  });
}

void select(const uint8_t* condition, const float* a, const float* b, float* out, long size) {
  const int tasks = tasks_for(size);
  parallel_for(tasks, [&](int task, int) {
    const long end = size * (task + 1) / tasks;
    // A bit mask instead of a branch, which random conditions would mispredict half the time.
    const uint32_t* a_bits = reinterpret_cast<const uint32_t*>(a);
    const uint32_t* b_bits = reinterpret_cast<const uint32_t*>(b);
    uint32_t* out_bits = reinterpret_cast<uint32_t*>(out);
    for (long i = size * task / tasks; i < end; ++i) {
      const uint32_t mask = 0u - static_cast<uint32_t>(condition[i] != 0);
      out_bits[i] = (a_bits[i] & mask) | (b_bits[i] & ~mask);
    }
  });
}

void reduce_sum(const float* x, long outer, long reduced, long inner, float scale, float* out) {
  const int threads = threads_for(outer * reduced * inner);
  // Enough independent outputs: tasks own slices of them. Otherwise tasks split the reduction.
  const bool split_outer = outer >= threads;
  const int tasks = split_outer ? threads : std::max(1L, std::min<long>(threads, reduced));
  std::vector<std::vector<double>> partial(tasks, std::vector<double>(split_outer ? 0 : outer * inner, 0.0));
  parallel_for(tasks, [&](int task, int) {
    const long o0 = split_outer ? outer * task / tasks : 0, o1 = split_outer ? outer * (task + 1) / tasks : outer;
    const long r0 = split_outer ? 0 : reduced * task / tasks, r1 = split_outer ? reduced : reduced * (task + 1) / tasks;
    std::vector<double> acc(inner);
    for (long o = o0; o < o1; ++o) {
      std::fill(acc.begin(), acc.end(), 0.0);
      if (inner == 1 && has_avx2) {
        acc[0] = sum_contiguous_avx2(x + o * reduced + r0, r1 - r0);
      } else {
        for (long r = r0; r < r1; ++r) {
          const float* row = x + (o * reduced + r) * inner;
          for (long i = 0; i < inner; ++i) acc[i] += row[i];
        }
      }
      if (split_outer) {
        for (long i = 0; i < inner; ++i) out[o * inner + i] = static_cast<float>(acc[i] * scale);
      } else {
        std::copy(acc.begin(), acc.end(), partial[task].begin() + o * inner);
      }
    }
  });
  if (split_outer) return;
  for (long j = 0; j < outer * inner; ++j) {
    double sum = 0.0;
    for (const auto& p : partial) sum += p[j];
    out[j] = static_cast<float>(sum * scale);
  }
}

}  // namespace ganc

#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "blas_loader.h"
#include "micro_kernel.h"
#include "thread_pool.h"

namespace ganc {
namespace {

// Cache blocking: an MC x KC block of A stays in L2, a KC x NR panel of B in L1, KC x NC of B in L3.
constexpr int kMC = 120;
constexpr int kKC = kGemmDepthBlock;
constexpr int kNC = 2048;
// The widest packed B panel (the AVX-512 wide kernel's nr).
constexpr int kMaxPanelWidth = 32;
// Columns per thread from which a product of up to 4 kMC rows splits by columns (column_split_gemm).
constexpr int kColumnSplitMinColumns = 512;
// Below this many flops, waking the second thread costs more than it saves.
constexpr double kParallelFlops = 2.0e6;
// The thin products (depth 1, one column) read or write a byte per flop or two: memory-bound, worth both
// threads from a few hundred thousand flops (the DCGAN dense layer's 64 x 6272 products).
constexpr double kParallelThinFlops = 2.0e5;
// OpenBLAS only pays off for big products: at 1024^3 it beats ganc's gemm by ~8% on an idle
// machine, but below ~512^3 its thread wake-ups cost more than that (measured in a DCGAN-MNIST
// step, whose 64x128x6272 dense layer ran at 13 GFLOP/s on OpenBLAS and 23 on ganc's gemm).
constexpr double kOpenBlasMinFlops = 2.0 * 512 * 512 * 512;

const MicroKernels micro_kernels = select_micro_kernels();
const bool vector_packing = std::strcmp(micro_kernels.isa, "scalar") != 0;
bool openblas_enabled = openblas_available();

int round_up(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

// Element (i, j) of op(X) lives at data[i * row_stride + j * col_stride].
struct StridedMatrix {
  const float* data;
  long row_stride;
  long col_stride;
  float at(long i, long j) const { return data[i * row_stride + j * col_stride]; }
};

StridedMatrix view_a(const GemmArgs& g) {
  return g.trans_a ? StridedMatrix{g.a, 1, g.lda} : StridedMatrix{g.a, g.lda, 1};
}

StridedMatrix view_b(const GemmArgs& g) {
  return g.trans_b ? StridedMatrix{g.b, 1, g.ldb} : StridedMatrix{g.b, g.ldb, 1};
}

float* scratch(std::vector<float>& buffer, size_t size) {
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

// Writes the 8 x 8 block src[i][j] (row i = rows[i] + c0, a null row reads as zeros) transposed, as column i of
// 8 rows of the packed panel: d[j * ld + i].
__attribute__((target("avx2,fma"), always_inline)) inline void transpose_8x8(const float* const* rows, int c0, float* d,
                                                                             int ld) {
  __m256 r[8];
  for (int i = 0; i < 8; ++i) r[i] = rows[i] ? _mm256_loadu_ps(rows[i] + c0) : _mm256_setzero_ps();
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0)), u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0)), u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
  _mm256_storeu_ps(d + 0 * ld, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(d + 1 * ld, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(d + 2 * ld, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(d + 3 * ld, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(d + 4 * ld, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(d + 5 * ld, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(d + 6 * ld, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(d + 7 * ld, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// The same for a 4 x 8 block: d[j * ld + i] for i < 4.
__attribute__((target("avx2,fma"), always_inline)) inline void transpose_4x8(const float* const* rows, int c0, float* d,
                                                                             int ld) {
  __m256 r[4];
  for (int i = 0; i < 4; ++i) r[i] = rows[i] ? _mm256_loadu_ps(rows[i] + c0) : _mm256_setzero_ps();
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 u[4] = {_mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)),
                       _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2))};
  for (int j = 0; j < 4; ++j) {
    _mm_storeu_ps(d + j * ld, _mm256_castps256_ps128(u[j]));
    _mm_storeu_ps(d + (j + 4) * ld, _mm256_extractf128_ps(u[j], 1));
  }
}

}  // namespace

__attribute__((target("avx2,fma"))) void pack_rows(const float* const* rows, int mr, int c0, int c1, float* d) {
  int c = c0;
  for (; c + 8 <= c1; c += 8, d += 8 * mr) {
    int i = 0;
    for (; i + 8 <= mr; i += 8) transpose_8x8(rows + i, c, d + i, mr);
    for (; i + 4 <= mr; i += 4) transpose_4x8(rows + i, c, d + i, mr);
    for (; i < mr; ++i) {
      for (int j = 0; j < 8; ++j) d[j * mr + i] = rows[i] ? rows[i][c + j] : 0.0f;
    }
  }
  for (; c < c1; ++c, d += mr) {
    for (int i = 0; i < mr; ++i) d[i] = rows[i] ? rows[i][c] : 0.0f;
  }
}

namespace {

// Rows [i0, i0+mc) x depth [p0, p0+kc) of op(A) into mr-row panels, k-major, zero-padded.
void pack_a(const StridedMatrix& a, int i0, int mc, int p0, int kc, int mr, float* dst) {
  for (int ir = 0; ir < mc; ir += mr) {
    const int rows = std::min(mr, mc - ir);
    if (a.row_stride == 1) {  // op(A) = A^T: each depth step is a contiguous run of rows
      for (int p = 0; p < kc; ++p, dst += mr) {
        const float* src = a.data + static_cast<long>(p0 + p) * a.col_stride + i0 + ir;
        std::copy_n(src, rows, dst);
        for (int i = rows; i < mr; ++i) dst[i] = 0.0f;
      }
      continue;
    }
    if (a.col_stride == 1 && vector_packing) {  // rows of op(A) are contiguous: transposed 8 x 8 at a time
      const float* rows_of[kMaxMR];
      for (int i = 0; i < mr; ++i) rows_of[i] = i < rows ? a.data + static_cast<long>(i0 + ir + i) * a.row_stride : nullptr;
      pack_rows(rows_of, mr, p0, p0 + kc, dst);
      dst += static_cast<long>(kc) * mr;
      continue;
    }
    if (a.col_stride == 1) {  // rows of op(A) are contiguous: read each along, write it down its panel column
      for (int i = 0; i < mr; ++i) {
        if (i < rows) {
          const float* src = a.data + static_cast<long>(i0 + ir + i) * a.row_stride + p0;
          for (int p = 0; p < kc; ++p) dst[p * mr + i] = src[p];
        } else {
          for (int p = 0; p < kc; ++p) dst[p * mr + i] = 0.0f;
        }
      }
      dst += static_cast<long>(kc) * mr;
      continue;
    }
    for (int p = 0; p < kc; ++p, dst += mr) {
      for (int i = 0; i < rows; ++i) dst[i] = a.at(i0 + ir + i, p0 + p);
      for (int i = rows; i < mr; ++i) dst[i] = 0.0f;
    }
  }
}

// Depth [p0, p0+kc) x panels [first, last) of nr columns starting at column j0 of op(B), zero-padded.
void pack_b(const StridedMatrix& b, int p0, int kc, int j0, int nc, int nr, int first, int last, float* packed) {
  for (int panel = first; panel < last; ++panel) {
    const int jr = panel * nr;
    const int cols = std::min(nr, nc - jr);
    float* dst = packed + static_cast<size_t>(panel) * nr * kc;
    if (b.row_stride == 1 && vector_packing && nr <= kMaxPanelWidth) {
      // op(B) = B^T: each column of the panel is a contiguous row of B, so the panel is those rows transposed.
      const float* columns[kMaxPanelWidth];
      for (int j = 0; j < nr; ++j) columns[j] = j < cols ? b.data + static_cast<long>(j0 + jr + j) * b.col_stride : nullptr;
      pack_rows(columns, nr, p0, p0 + kc, dst);
      continue;
    }
    for (int p = 0; p < kc; ++p, dst += nr) {
      if (b.col_stride == 1) {
        std::copy_n(&b.data[(p0 + p) * b.row_stride + j0 + jr], cols, dst);
        for (int j = cols; j < nr; ++j) dst[j] = 0.0f;
        continue;
      }
      for (int j = 0; j < cols; ++j) dst[j] = b.at(p0 + p, j0 + jr + j);
      for (int j = cols; j < nr; ++j) dst[j] = 0.0f;
    }
  }
}

// C block rows [i0, i0+mc) x panels [first, last) of the packed B, from packed A of that block.
// c_rows: where row i0 of C starts, rows ldc apart.
void macro_kernel(const MicroKernel& uk, float* c_rows, int ldc, const float* packed_a, const float* packed_b, int mc,
                  int j0, int nc, int kc, int first, int last, float beta) {
  for (int panel = first; panel < last; ++panel) {
    const int jr = panel * uk.nr;
    const int nr = std::min(uk.nr, nc - jr);
    const float* b_panel = packed_b + static_cast<size_t>(panel) * uk.nr * kc;
    for (int ir = 0; ir < mc; ir += uk.mr) {
      const int mr = std::min(uk.mr, mc - ir);
      float* c = c_rows + static_cast<size_t>(ir) * ldc + j0 + jr;
      uk.fn(kc, packed_a + static_cast<size_t>(ir) * kc, b_panel, c, ldc, beta, mr, nr);
    }
  }
}

void scale_c(const GemmArgs& g) {
  for (int i = 0; i < g.m; ++i) {
    float* row = g.c + static_cast<size_t>(i) * g.ldc;
    for (int j = 0; j < g.n; ++j) row[j] = g.beta == 0.0f ? 0.0f : g.beta * row[j];
  }
}

// A product with few rows (one row block) over `threads`: each task takes a range of B's panels, packs them
// and all of op(A) itself, and runs the whole depth, so the threads meet once instead of twice per depth
// block. Each C tile is the same micro-kernel calls on the same packed values as in packed_gemm.
void column_split_gemm(const GemmArgs& g, const StridedMatrix& a, const StridedMatrix& b, const MicroKernel& uk, int threads) {
  const int panels = (g.n + uk.nr - 1) / uk.nr;
  // Every task packs all of op(A): a deep one (1.6 MB for the 64 x 6272 dense-layer gradient) once per thread,
  // a shallow one twice per thread, for balance.
  const int tasks = std::min(panels, g.k > kKC ? threads : 2 * threads);
  parallel_for(tasks, [&](int task, int) {
    static thread_local std::vector<float> a_buffer, b_buffer;
    const int first = panels * task / tasks, last = panels * (task + 1) / tasks;
    float* packed_a = scratch(a_buffer, static_cast<size_t>(round_up(g.m, uk.mr)) * kKC);
    // Panels in chunks of kNC columns, as packed_gemm's (kNC is a multiple of every nr).
    const int chunk_panels = kNC / uk.nr;
    for (int chunk_first = first, chunk_last; chunk_first < last; chunk_first = chunk_last) {
      chunk_last = std::min(last, (chunk_first / chunk_panels + 1) * chunk_panels);
      const int j0 = chunk_first * uk.nr;
      const int nc = std::min(g.n, chunk_last * uk.nr) - j0;
      const int count = chunk_last - chunk_first;
      for (int p0 = 0; p0 < g.k; p0 += kKC) {
        const int kc = std::min(kKC, g.k - p0);
        float* packed_b = scratch(b_buffer, static_cast<size_t>(count) * uk.nr * kc);
        pack_b(b, p0, kc, j0, nc, uk.nr, 0, count, packed_b);
        pack_a(a, 0, g.m, p0, kc, uk.mr, packed_a);
        macro_kernel(uk, g.c, g.ldc, packed_a, packed_b, g.m, j0, nc, kc, 0, count, p0 == 0 ? g.beta : 1.0f);
      }
    }
  });
}

// rows_done: C is not stored in g.c but handed over a row block at a time, from a scratch block, once final
// (only for one depth block and one column chunk: callers check rows_fusable).
void packed_gemm(const GemmArgs& g, bool parallel, const PackA* custom_pack_a = nullptr, const RowsDone* rows_done = nullptr) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) return scale_c(g);
  const StridedMatrix a = view_a(g);
  const StridedMatrix b = view_b(g);
  const int threads = parallel ? thread_count() : 1;
  const MicroKernel& uk = g.n > micro_kernels.narrow.nr ? micro_kernels.wide : micro_kernels.narrow;
  auto run = [&](int tasks, const std::function<void(int, int)>& fn) {
    if (threads > 1) return parallel_for(tasks, fn);
    for (int task = 0; task < tasks; ++task) fn(task, 0);
  };

  // One row block, or a few rows of shallow A against many columns (a dense layer's weight gradient,
  // 128 x 6272 from depth 64): packing all of op(A) in every task costs little next to its columns.
  const bool few_rows = g.m <= kMC || (g.m <= 4 * kMC && g.k <= kKC && g.n >= kColumnSplitMinColumns * threads);
  if (threads > 1 && few_rows && !custom_pack_a && !rows_done) return column_split_gemm(g, a, b, uk, threads);

  // Equal-sized row blocks, as many as a multiple of the thread count, so no thread idles at the end.
  int row_blocks = round_up((g.m + kMC - 1) / kMC, threads);
  const int mc = round_up((g.m + row_blocks - 1) / row_blocks, uk.mr);
  row_blocks = (g.m + mc - 1) / mc;

  static thread_local std::vector<float> b_buffer;
  for (int j0 = 0; j0 < g.n; j0 += kNC) {
    const int nc = std::min(kNC, g.n - j0);
    const int panels = (nc + uk.nr - 1) / uk.nr;
    // Too few row blocks to keep every thread busy: also split the columns.
    const int column_parts = row_blocks >= threads ? 1 : std::min(panels, threads);
    for (int p0 = 0; p0 < g.k; p0 += kKC) {
      const int kc = std::min(kKC, g.k - p0);
      const float beta = p0 == 0 ? g.beta : 1.0f;
      float* packed_b = scratch(b_buffer, static_cast<size_t>(panels) * uk.nr * kc);
      run(threads, [&](int part, int) {
        pack_b(b, p0, kc, j0, nc, uk.nr, panels * part / threads, panels * (part + 1) / threads, packed_b);
      });
      run(row_blocks * column_parts, [&](int task, int) {
        static thread_local std::vector<float> a_buffer;
        const int block = task / column_parts;
        const int part = task % column_parts;
        const int i0 = block * mc;
        const int rows = std::min(mc, g.m - i0);
        float* packed_a = scratch(a_buffer, static_cast<size_t>(round_up(rows, uk.mr)) * kc);
        if (custom_pack_a) {
          (*custom_pack_a)(i0, rows, p0, kc, uk.mr, packed_a);
        } else {
          pack_a(a, i0, rows, p0, kc, uk.mr, packed_a);
        }
        if (rows_done) {
          static thread_local std::vector<float> c_buffer;
          float* block = scratch(c_buffer, static_cast<size_t>(rows) * g.n);
          macro_kernel(uk, block, g.n, packed_a, packed_b, rows, j0, nc, kc, 0, panels, beta);
          (*rows_done)(i0, rows, block, g.n);
          return;
        }
        macro_kernel(uk, g.c + static_cast<size_t>(i0) * g.ldc, g.ldc, packed_a, packed_b, rows, j0, nc, kc,
                     panels * part / column_parts, panels * (part + 1) / column_parts, beta);
      });
    }
  }
}

// Outer product (depth 1): C(i, j) = fma(A(i, 0), B(0, j), +0), the micro kernels' first (and only) step,
// written row after row straight from A and B.
__attribute__((target("avx2,fma"))) void outer_product(const GemmArgs& g, int row0, int row1) {
  const __m256 zero = _mm256_setzero_ps();
  for (int i = row0; i < row1; ++i) {
    const float ai = g.trans_a ? g.a[i] : g.a[static_cast<size_t>(i) * g.lda];
    const __m256 av = _mm256_set1_ps(ai);
    float* row = g.c + static_cast<size_t>(i) * g.ldc;
    int j = 0;
    for (; j + 8 <= g.n; j += 8) _mm256_storeu_ps(row + j, _mm256_fmadd_ps(av, _mm256_loadu_ps(g.b + j), zero));
    for (; j < g.n; ++j) {
      const __m256 one = _mm256_fmadd_ps(av, _mm256_set1_ps(g.b[j]), zero);
      row[j] = _mm256_cvtss_f32(one);
    }
  }
}

// One output column from a transposed A (A stored k x m): C(i, 0) = sum over depth of A(p, i) B(p), as FMA chains
// from +0 in depth order per block of kKC, each block's sum added to C (the micro kernels' order), with A read
// row after row over a slice of C that stays in L1.
__attribute__((target("avx2,fma"))) void column_from_transposed(const GemmArgs& g, int row0, int row1) {
  constexpr int kSlice = 2048;
  static thread_local std::vector<float> block_buffer;
  float* block = scratch(block_buffer, kSlice);
  const int b_stride = g.trans_b ? 1 : g.ldb;
  for (int i0 = row0; i0 < row1; i0 += kSlice) {
    const int len = std::min(kSlice, row1 - i0);
    for (int p0 = 0; p0 < g.k; p0 += kKC) {
      const int kc = std::min(kKC, g.k - p0);
      float* acc = p0 == 0 ? g.c + i0 : block;
      for (int p = p0; p < p0 + kc; ++p) {
        const float* arow = g.a + static_cast<size_t>(p) * g.lda + i0;
        const __m256 bv = _mm256_set1_ps(g.b[static_cast<size_t>(p) * b_stride]);
        int i = 0;
        if (p == p0) {
          const __m256 zero = _mm256_setzero_ps();
          for (; i + 8 <= len; i += 8) _mm256_storeu_ps(acc + i, _mm256_fmadd_ps(_mm256_loadu_ps(arow + i), bv, zero));
          for (; i < len; ++i) acc[i] = _mm256_cvtss_f32(_mm256_fmadd_ps(_mm256_set1_ps(arow[i]), bv, zero));
        } else {
          for (; i + 8 <= len; i += 8) {
            _mm256_storeu_ps(acc + i, _mm256_fmadd_ps(_mm256_loadu_ps(arow + i), bv, _mm256_loadu_ps(acc + i)));
          }
          for (; i < len; ++i) {
            acc[i] = _mm256_cvtss_f32(_mm256_fmadd_ps(_mm256_set1_ps(arow[i]), bv, _mm256_set1_ps(acc[i])));
          }
        }
      }
      if (p0 > 0) {
        float* c = g.c + i0;
        for (int i = 0; i < len; ++i) c[i] += block[i];
      }
    }
  }
}

// One output column from A as stored (m x k): C(i, 0) = sum over depth of A(i, p) B(p), eight rows at a time
// gathered across rows, as FMA chains from +0 in depth order per block of kKC, each block's sum added to C
// (the micro kernels' order), without packing A. Rows past the last multiple of 8 run the same chain on scalars.
__attribute__((target("avx2,fma"))) void column_from_rows(const GemmArgs& g, int row0, int row1) {
  const int b_stride = g.trans_b ? 1 : g.ldb;
  const __m256i offsets = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(g.lda));
  int i0 = row0;
  for (; i0 + 8 <= row1; i0 += 8) {
    const float* rows = g.a + static_cast<size_t>(i0) * g.lda;
    __m256 sum = _mm256_setzero_ps();
    for (int p0 = 0; p0 < g.k; p0 += kKC) {
      const int p1 = std::min(g.k, p0 + kKC);
      __m256 acc = _mm256_setzero_ps();
      for (int p = p0; p < p1; ++p) {
        const __m256 column = _mm256_i32gather_ps(rows + p, offsets, 4);
        acc = _mm256_fmadd_ps(column, _mm256_set1_ps(g.b[static_cast<size_t>(p) * b_stride]), acc);
      }
      sum = p0 == 0 ? acc : _mm256_add_ps(sum, acc);
    }
    alignas(32) float out[8];
    _mm256_store_ps(out, sum);
    for (int r = 0; r < 8; ++r) g.c[static_cast<size_t>(i0 + r) * g.ldc] = out[r];
  }
  for (; i0 < row1; ++i0) {
    const float* row = g.a + static_cast<size_t>(i0) * g.lda;
    __m128 sum = _mm_setzero_ps();
    for (int p0 = 0; p0 < g.k; p0 += kKC) {
      const int p1 = std::min(g.k, p0 + kKC);
      __m128 acc = _mm_setzero_ps();
      for (int p = p0; p < p1; ++p) acc = _mm_fmadd_ss(_mm_set_ss(row[p]), _mm_set_ss(g.b[static_cast<size_t>(p) * b_stride]), acc);
      sum = p0 == 0 ? acc : _mm_add_ss(sum, acc);
    }
    g.c[static_cast<size_t>(i0) * g.ldc] = _mm_cvtss_f32(sum);
  }
}

// Rows [row0, row1) of C from one of the thin products; each row's sums are the same whatever the range.
using ThinProduct = void (*)(const GemmArgs&, int, int);

// The thin product for g, if one applies (beta 0, contiguous rows of B and C, a vector ISA).
ThinProduct thin_product(const GemmArgs& g) {
  if (!vector_packing || g.beta != 0.0f || g.m == 0 || g.n == 0 || g.k == 0) return nullptr;
  if (g.k == 1 && (g.trans_b ? g.ldb == 1 : true)) return outer_product;
  if (g.n == 1 && g.trans_a && g.ldc == 1) return column_from_transposed;
  // Gathered offsets are 32-bit: 7 rows apart must fit.
  if (g.n == 1 && !g.trans_a && static_cast<long>(g.lda) * 7 + g.k < (1L << 31)) return column_from_rows;
  return nullptr;
}

// The thin product when one applies, over all threads when `parallel` and big enough: rows split into
// ranges of whole 8-row groups, so every row is computed as on one thread. True if done.
bool thin_gemm(const GemmArgs& g, bool parallel) {
  const ThinProduct product = thin_product(g);
  if (!product) return false;
  const double flops = 2.0 * g.m * g.n * g.k;
  const int groups = (g.m + 7) / 8;
  const int tasks = parallel && flops >= kParallelThinFlops ? std::min(groups, 2 * thread_count()) : 1;
  if (tasks == 1) {
    product(g, 0, g.m);
    return true;
  }
  parallel_for(tasks, [&](int task, int) {
    const int row0 = std::min(g.m, 8 * (groups * task / tasks));
    const int row1 = std::min(g.m, 8 * (groups * (task + 1) / tasks));
    if (row1 > row0) product(g, row0, row1);
  });
  return true;
}

}  // namespace

void sgemm_serial(const GemmArgs& args) {
  if (!thin_gemm(args, false)) packed_gemm(args, false);
}

void sgemm_serial(const GemmArgs& args, const PackA& pack_a) { packed_gemm(args, false, &pack_a); }

bool sgemm_serial_by_rows(const GemmArgs& args, const RowsDone& rows_done) {
  if (args.k > kKC || args.n > kNC || args.m == 0 || args.n == 0 || args.k == 0) return false;
  packed_gemm(args, false, nullptr, &rows_done);
  return true;
}

void sgemm(const GemmArgs& g) {
  if (thin_gemm(g, true)) return;
  const double flops = 2.0 * g.m * g.n * g.k;
  if (openblas_enabled && flops >= kOpenBlasMinFlops) {
    openblas_sgemm(g.trans_a, g.trans_b, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc);
    return;
  }
  packed_gemm(g, flops >= kParallelFlops);
}

const char* set_blas(bool prefer_openblas) {
  openblas_enabled = prefer_openblas && openblas_available();
  return blas_name();
}

const char* isa_name() { return micro_kernels.isa; }

const char* blas_name() { return openblas_enabled ? "openblas" : "ganc"; }

}  // namespace ganc

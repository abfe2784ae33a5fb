#include "micro_kernel.h"

#include <immintrin.h>

namespace ganc {
namespace {

void store_block(const float* acc, float* c, int ldc, float beta, int mr, int nr) {
  for (int i = 0; i < mr; ++i) {
    for (int j = 0; j < nr; ++j) {
      float value = acc[i * kNR + j];
      c[i * ldc + j] = beta == 0.0f ? value : value + beta * c[i * ldc + j];
    }
  }
}

void scalar_kernel(int kc, const float* a, const float* b, float* c, int ldc, float beta, int mr, int nr) {
  float acc[kMR * kNR] = {};
  for (int p = 0; p < kc; ++p, a += kMR, b += kNR) {
    for (int i = 0; i < kMR; ++i) {
      for (int j = 0; j < kNR; ++j) acc[i * kNR + j] += a[i] * b[j];
    }
  }
  store_block(acc, c, ldc, beta, mr, nr);
}

// 6x16 block in 12 ymm accumulators, 2 registers of B and 1 broadcast of A per step: the classic
// Haswell-class shape, which keeps both FMA ports busy.
__attribute__((target("avx2,fma"))) void avx2_kernel(int kc, const float* a, const float* b, float* c, int ldc,
                                                      float beta, int mr, int nr) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p, a += kMR, b += kNR) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 ai = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(ai, b0, c00);
    c01 = _mm256_fmadd_ps(ai, b1, c01);
    ai = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(ai, b0, c10);
    c11 = _mm256_fmadd_ps(ai, b1, c11);
    ai = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(ai, b0, c20);
    c21 = _mm256_fmadd_ps(ai, b1, c21);
    ai = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(ai, b0, c30);
    c31 = _mm256_fmadd_ps(ai, b1, c31);
    ai = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(ai, b0, c40);
    c41 = _mm256_fmadd_ps(ai, b1, c41);
    ai = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(ai, b0, c50);
    c51 = _mm256_fmadd_ps(ai, b1, c51);
  }
  const __m256 rows[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == kMR && nr == kNR) {
    const __m256 vbeta = _mm256_set1_ps(beta);
    for (int i = 0; i < kMR; ++i) {
      float* row = c + i * ldc;
      if (beta == 0.0f) {
        _mm256_storeu_ps(row, rows[i][0]);
        _mm256_storeu_ps(row + 8, rows[i][1]);
      } else {
        _mm256_storeu_ps(row, _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(row), rows[i][0]));
        _mm256_storeu_ps(row + 8, _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(row + 8), rows[i][1]));
      }
    }
    return;
  }
  alignas(32) float acc[kMR * kNR];
  for (int i = 0; i < kMR; ++i) {
    _mm256_store_ps(acc + i * kNR, rows[i][0]);
    _mm256_store_ps(acc + i * kNR + 8, rows[i][1]);
  }
  store_block(acc, c, ldc, beta, mr, nr);
}

}  // namespace

MicroKernel select_micro_kernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2_kernel;
  return scalar_kernel;
}

}  // namespace ganc

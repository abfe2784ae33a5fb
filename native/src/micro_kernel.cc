#include "micro_kernel.h"

#include <immintrin.h>

#include <cstdlib>
#include <cstring>

namespace ganc {
namespace {

constexpr int kScalarMR = 6, kScalarNR = 16;

void store_block(const float* acc, int acc_stride, float* c, int ldc, float beta, int mr, int nr) {
  for (int i = 0; i < mr; ++i) {
    for (int j = 0; j < nr; ++j) {
      float value = acc[i * acc_stride + j];
      c[i * ldc + j] = beta == 0.0f ? value : value + beta * c[i * ldc + j];
    }
  }
}

void scalar_kernel(int kc, const float* a, const float* b, float* c, int ldc, float beta, int mr, int nr) {
  float acc[kScalarMR * kScalarNR] = {};
  for (int p = 0; p < kc; ++p, a += kScalarMR, b += kScalarNR) {
    for (int i = 0; i < kScalarMR; ++i) {
      for (int j = 0; j < kScalarNR; ++j) acc[i * kScalarNR + j] += a[i] * b[j];
    }
  }
  store_block(acc, kScalarNR, c, ldc, beta, mr, nr);
}

// 6x16 block in 12 ymm accumulators, 2 registers of B and 1 broadcast of A per step: the classic
// Haswell-class shape, which keeps both FMA ports busy.
__attribute__((target("avx2,fma"))) void avx2_kernel(int kc, const float* a, const float* b, float* c, int ldc,
                                                      float beta, int mr, int nr) {
  constexpr int MR = 6, NR = 16;
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p, a += MR, b += NR) {
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
  const __m256 rows[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == MR && nr == NR) {
    const __m256 vbeta = _mm256_set1_ps(beta);
    for (int i = 0; i < MR; ++i) {
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
  alignas(32) float acc[MR * NR];
  for (int i = 0; i < MR; ++i) {
    _mm256_store_ps(acc + i * NR, rows[i][0]);
    _mm256_store_ps(acc + i * NR + 8, rows[i][1]);
  }
  store_block(acc, NR, c, ldc, beta, mr, nr);
}

// MR x (16*NV) block in MR*NV zmm accumulators: NV loads of B and MR broadcasts of A per step. 12x32 keeps
// both FMA ports of an AVX-512 core busy with 24 independent chains; 12x16 serves products of <= 16 columns.
// Edges are written with masked stores, which compute c the same way as the full block.
template <int MR, int NV>
__attribute__((target("avx512f"))) void avx512_kernel(int kc, const float* a, const float* b, float* c, int ldc,
                                                       float beta, int mr, int nr) {
  constexpr int NR = 16 * NV;
  __m512 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) acc[i][j] = _mm512_setzero_ps();
  }
  for (int p = 0; p < kc; ++p, a += MR, b += NR) {
    __m512 bv[NV];
#pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) bv[j] = _mm512_loadu_ps(b + 16 * j);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
#pragma GCC unroll 2
      for (int j = 0; j < NV; ++j) acc[i][j] = _mm512_fmadd_ps(ai, bv[j], acc[i][j]);
    }
  }
  const __m512 vbeta = _mm512_set1_ps(beta);
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      float* row = c + static_cast<long>(i) * ldc;
#pragma GCC unroll 2
      for (int j = 0; j < NV; ++j) {
        const __m512 value = beta == 0.0f ? acc[i][j] : _mm512_fmadd_ps(vbeta, _mm512_loadu_ps(row + 16 * j), acc[i][j]);
        _mm512_storeu_ps(row + 16 * j, value);
      }
    }
    return;
  }
  __mmask16 masks[NV];
#pragma GCC unroll 2
  for (int j = 0; j < NV; ++j) {
    const int cols = nr - 16 * j;
    masks[j] = cols >= 16 ? static_cast<__mmask16>(0xFFFF) : cols <= 0 ? 0 : static_cast<__mmask16>((1u << cols) - 1);
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i >= mr) break;
    float* row = c + static_cast<long>(i) * ldc;
#pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) {
      const __m512 value =
          beta == 0.0f ? acc[i][j] : _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(masks[j], row + 16 * j), acc[i][j]);
      _mm512_mask_storeu_ps(row + 16 * j, masks[j], value);
    }
  }
}

}  // namespace

MicroKernels select_micro_kernels() {
  __builtin_cpu_init();
  const char* cap = std::getenv("GANC_ISA");
  const bool allow_avx512 = !cap || (std::strcmp(cap, "avx2") != 0 && std::strcmp(cap, "scalar") != 0);
  const bool allow_avx2 = !cap || std::strcmp(cap, "scalar") != 0;
  if (allow_avx512 && __builtin_cpu_supports("avx512f")) {
    return {{avx512_kernel<12, 2>, 12, 32}, {avx512_kernel<12, 1>, 12, 16}, "avx512"};
  }
  if (allow_avx2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {{avx2_kernel, 6, 16}, {avx2_kernel, 6, 16}, "avx2"};
  }
  return {{scalar_kernel, kScalarMR, kScalarNR}, {scalar_kernel, kScalarMR, kScalarNR}, "scalar"};
}

}  // namespace ganc

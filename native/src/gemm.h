// Single-precision row-major gemm: C[m x n] = op(A)[m x k] * op(B)[k x n] + beta * C.
// op(A) is A (stored m x k, row stride lda) or A^T (A stored k x m); likewise for B.
#pragma once

#include <functional>

namespace ganc {

// The gemm adds products in blocks of this many depth steps: each block's sum (FMAs in order of depth, from
// +0) is then added to C. Code that must give the gemm's bits (the direct convolutions) blocks the same way.
constexpr int kGemmDepthBlock = 256;

struct GemmArgs {
  bool trans_a;
  bool trans_b;
  int m;
  int n;
  int k;
  const float* a;
  int lda;
  const float* b;
  int ldb;
  float beta;
  float* c;
  int ldc;
};

// Rows [c0, c1) of the panel of mr rows whose row i is rows[i] (null: zeros), transposed into d:
// d[(c - c0) * mr + i] = rows[i][c]; 8 x 8 register transposes. Needs AVX2 (callers check isa_name()).
void pack_rows(const float* const* rows, int mr, int c0, int c1, float* d);

// ganc's own packed gemm on the calling thread only: for use inside tasks that are already parallel.
void sgemm_serial(const GemmArgs& args);

// Packs rows [i0, i0+mc) x depth [p0, p0+kc) of op(A) into panels of mr rows, one after another: panel q holds
// rows i0 + q*mr ..., stored depth-major (element (i, p) at q*mr*kc + (p - p0)*mr + (i - i0 - q*mr)), rows past
// mc zero. Lets a caller build op(A) on the fly (a convolution's patches) instead of materializing it.
using PackA = std::function<void(int i0, int mc, int p0, int kc, int mr, float* dst)>;

// sgemm_serial with op(A) produced by `pack_a` (args.a, args.lda and args.trans_a are not read). The sums are
// the same, in the same order, as with op(A) stored.
void sgemm_serial(const GemmArgs& args, const PackA& pack_a);

// Receives rows [i0, i0 + rows) of C once they are final, row r at c[(r - i0) * ldc]; valid during the call.
using RowsDone = std::function<void(int i0, int rows, const float* c, int ldc)>;

// sgemm_serial that hands C to `rows_done` a row block at a time, in order of rows, from a scratch block that
// stays in cache, instead of storing it (args.c, args.ldc are not used; args.beta must be 0). Returns false,
// computing nothing, when the product is too deep or wide for that (depth > kGemmDepthBlock or > 2048
// columns). The elements are the same as sgemm_serial's.
bool sgemm_serial_by_rows(const GemmArgs& args, const RowsDone& rows_done);

// The fastest available gemm over all threads: OpenBLAS for big products when it is loaded and
// enabled, ganc's own otherwise.
void sgemm(const GemmArgs& args);

// Chooses between OpenBLAS (when it could be loaded) and ganc's gemm; returns the name now in use.
const char* set_blas(bool prefer_openblas);
const char* blas_name();
// The instruction set of ganc's gemm micro-kernels on this CPU: "avx512", "avx2" or "scalar".
const char* isa_name();

}  // namespace ganc

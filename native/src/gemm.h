// Single-precision row-major gemm: C[m x n] = op(A)[m x k] * op(B)[k x n] + beta * C.
// op(A) is A (stored m x k, row stride lda) or A^T (A stored k x m); likewise for B.
#pragma once

namespace ganc {

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

// ganc's own packed gemm on the calling thread only: for use inside tasks that are already parallel.
void sgemm_serial(const GemmArgs& args);

// The fastest available gemm over all threads: OpenBLAS for big products when it is loaded and
// enabled, ganc's own otherwise.
void sgemm(const GemmArgs& args);

// Chooses between OpenBLAS (when it could be loaded) and ganc's gemm; returns the name now in use.
const char* set_blas(bool prefer_openblas);
const char* blas_name();

}  // namespace ganc

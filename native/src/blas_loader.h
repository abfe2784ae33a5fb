// Run-time binding to an installed OpenBLAS: it is used when present (it is the fastest sgemm on
// most machines) but never needed to build or run ganc.
#pragma once

namespace ganc {

// Row-major C = op(A) * op(B) + beta * C through cblas_sgemm; only valid when openblas_available().
bool openblas_available();
void openblas_sgemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b,
                    int ldb, float beta, float* c, int ldc);

}  // namespace ganc

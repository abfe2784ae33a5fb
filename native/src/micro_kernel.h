// The register-blocked inner kernel of the gemm: an MR x NR block of C from packed panels of A and B.
#pragma once

namespace ganc {

constexpr int kMR = 6;
constexpr int kNR = 16;

// c[i*ldc + j] = sum_p a[p*kMR + i] * b[p*kNR + j] + beta * c[i*ldc + j] for i < mr, j < nr.
// beta == 0 never reads c (it may hold garbage or NaN). Panels are zero-padded to kMR / kNR.
using MicroKernel = void (*)(int kc, const float* a, const float* b, float* c, int ldc, float beta, int mr, int nr);

// The AVX2+FMA kernel when the CPU has it, a portable scalar one otherwise.
MicroKernel select_micro_kernel();

}  // namespace ganc

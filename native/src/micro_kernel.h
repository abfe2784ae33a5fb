// The register-blocked inner kernel of the gemm: an mr x nr block of C from packed panels of A and B.
#pragma once

namespace ganc {

// c[i*ldc + j] = sum_p a[p*MR + i] * b[p*NR + j] + beta * c[i*ldc + j] for i < mr, j < nr, where MR x NR is
// the kernel's block shape. Every kernel adds the products of one element in order of p, one fused
// multiply-add each (the scalar one with separate multiply and add), so the AVX2 and AVX-512 kernels give
// the same bits. beta == 0 never reads c (it may hold garbage or NaN). Panels are zero-padded to MR / NR.
using MicroKernelFn = void (*)(int kc, const float* a, const float* b, float* c, int ldc, float beta, int mr, int nr);

struct MicroKernel {
  MicroKernelFn fn;
  int mr;  // rows of a block (the packed A panel's width)
  int nr;  // columns of a block (the packed B panel's width)
};

// The kernels for this CPU: `wide` for products with more than `narrow.nr` columns, `narrow` for the others
// (so that a 16-column product does not pay for a 32-column block). AVX-512 when the CPU has it, else
// AVX2+FMA, else portable scalar code; GANC_ISA=avx2 or GANC_ISA=scalar caps the choice (for comparisons).
struct MicroKernels {
  MicroKernel wide;
  MicroKernel narrow;
  const char* isa;
};

MicroKernels select_micro_kernels();

// The largest block dimensions of any kernel above (scratch sizes).
constexpr int kMaxMR = 16;
constexpr int kMaxNR = 32;

}  // namespace ganc

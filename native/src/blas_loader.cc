#include "blas_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

#include "thread_pool.h"

namespace ganc {
namespace {

// CBLAS enum values, fixed by the CBLAS standard, so no cblas.h is needed at build time.
constexpr int kRowMajor = 101;
constexpr int kNoTrans = 111;
constexpr int kTrans = 112;

using SgemmFn = void (*)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a,
                         int lda, const float* b, int ldb, float beta, float* c, int ldc);

SgemmFn load_sgemm() {
  if (const char* env = std::getenv("GANC_BLAS"); env && std::strcmp(env, "ganc") == 0) return nullptr;
  // OpenBLAS threads spin ~0.1 s after each call by default (2^28 cycles), taking the cores from
  // ganc's own kernels that run next; 2^4 cycles makes them sleep at once. A user's setting wins.
  setenv("OPENBLAS_THREAD_TIMEOUT", "4", /*overwrite=*/0);
  // OpenBLAS partitions a product by its own thread count, and the partition changes the last bits of the
  // result; so that ganc's thread count (GANC_THREADS) alone decides a run's numbers, OpenBLAS gets the same
  // count, read when the library loads. A user's OpenBLAS setting wins.
  if (!std::getenv("OPENBLAS_NUM_THREADS") && !std::getenv("GOTO_NUM_THREADS") && !std::getenv("OMP_NUM_THREADS")) {
    setenv("OPENBLAS_NUM_THREADS", std::to_string(thread_count()).c_str(), /*overwrite=*/1);
  }
  for (const char* name : {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"}) {
    if (void* handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)) {
      if (void* symbol = dlsym(handle, "cblas_sgemm")) return reinterpret_cast<SgemmFn>(symbol);
      dlclose(handle);
    }
  }
  return nullptr;
}

SgemmFn sgemm_fn() {
  static SgemmFn fn = load_sgemm();
  return fn;
}

}  // namespace

bool openblas_available() { return sgemm_fn() != nullptr; }

void openblas_sgemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b,
                    int ldb, float beta, float* c, int ldc) {
  sgemm_fn()(kRowMajor, trans_a ? kTrans : kNoTrans, trans_b ? kTrans : kNoTrans, m, n, k, 1.0f, a, lda, b, ldb,
             beta, c, ldc);
}

}  // namespace ganc

#include "malloc_tuning.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ganc {

void tune_malloc_for_large_tensors() {
#if defined(__GLIBC__)
  if (const char* env = std::getenv("GANC_MALLOC_TUNING"); env && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace ganc

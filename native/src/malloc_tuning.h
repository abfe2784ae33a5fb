// Keeps large allocations on the reusable heap instead of fresh mmap()s.
#pragma once

namespace ganc {

// tfjs allocates a new Float32Array for every kernel output. glibc serves each one over 128 KB
// (DCGAN-MNIST activations are ~3 MB) with a fresh mmap, and first-touch page faults then cost
// more than the kernel itself (on this project's VMs: 9 ms of faults around a 1 ms conv). Raising
// the mmap and trim thresholds makes freed blocks get reused. Affects the whole process, on glibc
// only; GANC_MALLOC_TUNING=0 leaves malloc alone.
void tune_malloc_for_large_tensors();

}  // namespace ganc

// A small persistent pool: kernels are called thousands of times per training step, so threads are
// created once and woken per call instead of being spawned each time.
#pragma once
#include <functional>

namespace ganc {

// Number of threads (the caller included) that parallel_for uses; GANC_THREADS overrides the core count.
int thread_count();

// Runs fn(task, thread) for task in [0, tasks); the calling thread takes part. thread is in
// [0, thread_count()) and identifies per-thread scratch space. Returns when every task is done.
void parallel_for(int tasks, const std::function<void(int task, int thread)>& fn);

}  // namespace ganc

// A small persistent pool: kernels are called thousands of times per training step, so threads are
// created once and woken per call instead of being spawned each time.
#pragma once
#include <functional>

namespace ganc {

// Number of threads (the caller included) that parallel_for uses; GANC_THREADS overrides the core count.
int thread_count();

// Runs fn(task, thread) for task in [0, tasks); the calling thread takes part. thread is in
// [0, thread_count()) and identifies per-thread scratch space. Returns when every task is done.
// Which thread runs which task, and when, depends on timing: so that a run's numbers do not, what a task
// computes must depend on `task` only (never on `thread`), and partial sums of tasks are combined in a
// fixed order after parallel_for returns (see conv2d_backprop_filter, reduce_sum).
void parallel_for(int tasks, const std::function<void(int task, int thread)>& fn);

}  // namespace ganc

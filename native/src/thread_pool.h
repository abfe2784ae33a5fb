// A small persistent pool: kernels are called thousands of times per training step, so threads are
// created once and woken per call instead of being spawned each time.
#pragma once
#include <functional>

namespace ganc {

// Number of threads (the caller included) that parallel_for uses; GANC_THREADS overrides the core count.
int thread_count();

// Runs fn(task, thread) for task in [0, tasks); the calling thread takes part (the executor, for a
// submitted kernel), and so does a thread waiting in join(). thread is in
// [0, thread_count()) and identifies per-thread scratch space. Returns when every task is done.
// Which thread runs which task, and when, depends on timing: so that a run's numbers do not, what a task
// computes must depend on `task` only (never on `thread`), and partial sums of tasks are combined in a
// fixed order after parallel_for returns (see conv2d_backprop_filter, reduce_sum).
void parallel_for(int tasks, const std::function<void(int task, int thread)>& fn);

// Kernels run in the order submitted, on a thread of the pool's own (the executor) when there are two or more
// threads: submit() returns at once, so the JavaScript thread can go on building the graph while kernels run;
// join() returns when every kernel submitted so far has finished, the calling thread working through their
// tasks meanwhile (it holds the last of the thread_count() shares). With one thread, submit() runs fn at once.
// Returns a sequence number; finished_kernels() reaching it means fn has run.
unsigned long submit(std::function<void()> fn);
void join();
unsigned long finished_kernels();

}  // namespace ganc

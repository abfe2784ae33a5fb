#include "thread_pool.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ganc {
namespace {

// How long a thread spins for the next job, or for the last tasks of its own, before sleeping on a
// condition variable. A training step calls a few hundred parallel kernels with tens of microseconds of
// JavaScript between them; waking a sleeping thread costs about as much again, on every call. Bounded, so
// an idle pool (between steps, or while tfjs's own JavaScript kernels run) costs nothing; GANC_SPIN_US=0
// sleeps at once (OpenMP's passive policy).
int spin_microseconds() {
  if (const char* env = std::getenv("GANC_SPIN_US")) {
    const int us = std::atoi(env);
    if (us >= 0) return std::min(us, 100000);
  }
  return 200;
}

// Spins until done() or the spin budget is spent; true if done() came true. Yields the core now and then, so
// that on a machine with more runnable threads than cores (a test suite's processes side by side) the spin
// gives way to them instead of taking its whole time slice.
template <typename Done>
bool spin_until(Done done, int microseconds) {
  if (microseconds == 0) return done();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
  for (int round = 0;; ++round) {
    if (done()) return true;
    _mm_pause();
    if ((round & 63) == 63) {
      if (std::chrono::steady_clock::now() >= deadline) return done();
      std::this_thread::yield();
    }
  }
}

// The caller works through the tasks too, and never waits for a worker that has not started yet:
// on shared, oversubscribed cores a sleeping worker can take many milliseconds to be scheduled, and
// waiting for it would make every parallel kernel as slow as the slowest wake-up.
//
// With two or more threads, share 0 belongs to the executor, which runs submitted kernels one after another and
// is the caller of their parallel_for; shares 1 .. threads-2 to workers; the last share to the thread waiting
// in join() (the JavaScript thread), which meanwhile works like a worker. While JavaScript runs instead, the
// executor and workers take that share too, so a kernel never waits for it.
class ThreadPool {
 public:
  explicit ThreadPool(int threads) : threads_(threads), spin_us_(spin_microseconds()) {
    if (threads_ == 1) return;
    for (int id = 1; id < threads_ - 1; ++id) workers_.emplace_back([this, id] { work(id); });
    executor_ = std::thread([this] { execute(); });
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      stopping_executor_ = true;
    }
    queue_ready_.notify_all();
    if (executor_.joinable()) executor_.join();
  }

  unsigned long submit(std::function<void()> fn) {
    if (threads_ == 1) {
      fn();
      return ++submitted_plain_;
    }
    unsigned long sequence;
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      queue_.push_back(std::move(fn));
      sequence = submitted_.fetch_add(1) + 1;
    }
    queue_ready_.notify_one();
    return sequence;
  }

  unsigned long finished() const { return threads_ == 1 ? submitted_plain_ : finished_.load(); }

  // Works as the last share's thread until every kernel submitted so far has finished.
  void join() {
    if (threads_ == 1) return;
    const unsigned long target = submitted_.load();
    const int guest = threads_ - 1;
    auto ready = [&] { return finished_.load() >= target || generation_.load() != guest_seen_; };
    while (finished_.load() < target) {
      if (!spin_until(ready, spin_us_)) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, ready);
      }
      if (finished_.load() >= target) return;
      std::unique_lock<std::mutex> lock(mutex_);
      guest_seen_ = generation_.load();
      help_with_open_job(lock, guest);
    }
  }

  int size() const { return threads_; }

  void run(int tasks, const std::function<void(int, int)>& fn) {
    if (threads_ == 1 || tasks <= 1) {
      for (int task = 0; task < tasks; ++task) fn(task, 0);
      return;
    }
    std::lock_guard<std::mutex> job_lock(job_mutex_);  // one job at a time
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      tasks_ = tasks;
      for (int share = 0; share < threads_; ++share) next_[share].value.store(share_begin(share));
      completed_.store(0);
      open_ = true;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    completed_.fetch_add(drain(0));
    wait_for_workers([this] { return completed_.load() == tasks_; });
    // Late workers must not touch this job any more; joined ones are running and finish at once.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = false;
    }
    wait_for_workers([this] { return active_workers_.load() == 0; });
    job_ = nullptr;
  }

 private:
  // Until done() (a condition on what workers update under mutex_): spinning first, then asleep on done_.
  template <typename Done>
  void wait_for_workers(Done done) {
    if (spin_until(done, spin_us_)) return;
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, done);
  }

  // Thread t first takes the tasks of its own share, [t*tasks/threads, (t+1)*tasks/threads) in order, then
  // helps with the others' shares. Consecutive kernels split their data the same way (by batch, by rows), so
  // a thread mostly works on what it wrote itself in the kernel before, still in its core's cache.
  int drain(int thread) {
    int done = 0;
    for (int offset = 0; offset < threads_; ++offset) {
      const int share = (thread + offset) % threads_;
      const int end = share_end(share);
      for (int task = next_[share].value.fetch_add(1); task < end; task = next_[share].value.fetch_add(1), ++done) {
        (*job_)(task, thread);
      }
    }
    return done;
  }

  int share_begin(int share) const { return static_cast<int>(static_cast<long>(tasks_) * share / threads_); }
  int share_end(int share) const { return share_begin(share + 1); }

  // The executor: runs submitted kernels in order, sleeping when there are none.
  void execute() {
    for (;;) {
      spin_until([this] { return taken_ < submitted_.load(); }, spin_us_);
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(queue_mutex_);
        queue_ready_.wait(lock, [this] { return stopping_executor_ || !queue_.empty(); });
        if (queue_.empty()) return;
        fn = std::move(queue_.front());
        queue_.pop_front();
      }
      ++taken_;
      fn();
      {
        // Under mutex_, so that a joining thread between its check and its wait cannot miss it.
        std::lock_guard<std::mutex> lock(mutex_);
        finished_.fetch_add(1);
      }
      wake_.notify_all();
    }
  }

  void work(int thread) {
    unsigned long seen = 0;
    for (;;) {
      spin_until([&] { return generation_.load() != seen; }, spin_us_);
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
      seen = generation_.load();
      if (stopping_) return;
      help_with_open_job(lock, thread);
    }
  }

  // Called holding mutex_: if a job is open, works through it as `thread`, without the lock meanwhile. A job
  // that has closed is not touched: its caller may be about to reset it.
  void help_with_open_job(std::unique_lock<std::mutex>& lock, int thread) {
    if (!open_) return;
    active_workers_.fetch_add(1);
    lock.unlock();
    const int done = drain(thread);
    lock.lock();
    completed_.fetch_add(done);
    active_workers_.fetch_sub(1);
    lock.unlock();
    done_.notify_all();
  }

  const int threads_;
  const int spin_us_;
  std::vector<std::thread> workers_;
  std::mutex job_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int, int)>* job_ = nullptr;
  int tasks_ = 0;
  // The next task of each thread's share, each on its own cache line.
  struct alignas(64) NextTask {
    std::atomic<int> value{0};
  };
  std::vector<NextTask> next_{static_cast<size_t>(threads_)};
  std::atomic<int> completed_{0};
  std::atomic<int> active_workers_{0};
  bool open_ = false;
  std::atomic<unsigned long> generation_{0};
  bool stopping_ = false;
  // The last generation the joining thread looked at (it may join a job that opened while it was away).
  unsigned long guest_seen_ = 0;
  // Submitted kernels: queued under queue_mutex_, counted as submitted, taken by the executor, finished.
  std::thread executor_;
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<std::function<void()>> queue_;
  std::atomic<unsigned long> submitted_{0};
  unsigned long taken_ = 0;  // the executor's own count
  std::atomic<unsigned long> finished_{0};
  unsigned long submitted_plain_ = 0;  // one thread: run at once
  bool stopping_executor_ = false;
};

int configured_threads() {
  if (const char* env = std::getenv("GANC_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return std::min(n, 64);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool& pool() {
  static ThreadPool instance(thread_count());
  return instance;
}

}  // namespace

// Without starting the pool: the BLAS loader asks for it while the addon is being loaded.
int thread_count() {
  static const int count = configured_threads();
  return count;
}

void parallel_for(int tasks, const std::function<void(int, int)>& fn) { pool().run(tasks, fn); }

unsigned long submit(std::function<void()> fn) { return pool().submit(std::move(fn)); }

void join() { pool().join(); }

unsigned long finished_kernels() { return pool().finished(); }

}  // namespace ganc

#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace ganc {
namespace {

class ThreadPool {
 public:
  explicit ThreadPool(int threads) : threads_(threads) {
    for (int id = 1; id < threads_; ++id) workers_.emplace_back([this, id] { work(id); });
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  int size() const { return threads_; }

  void run(int tasks, const std::function<void(int, int)>& fn) {
    if (threads_ == 1 || tasks <= 1) {
      for (int task = 0; task < tasks; ++task) fn(task, 0);
      return;
    }
    // Only one job at a time: JS calls are serial, but guard against re-entry from other threads.
    std::lock_guard<std::mutex> job_lock(job_mutex_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      tasks_ = tasks;
      next_task_.store(0);
      busy_workers_ = static_cast<int>(workers_.size());
      ++generation_;
    }
    wake_.notify_all();
    drain(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_workers_ == 0; });
    job_ = nullptr;
  }

 private:
  void drain(int thread) {
    for (int task = next_task_.fetch_add(1); task < tasks_; task = next_task_.fetch_add(1)) (*job_)(task, thread);
  }

  void work(int thread) {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stopping_) return;
      }
      drain(thread);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --busy_workers_;
      }
      done_.notify_one();
    }
  }

  const int threads_;
  std::vector<std::thread> workers_;
  std::mutex job_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int, int)>* job_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> next_task_{0};
  int busy_workers_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
};

int configured_threads() {
  if (const char* env = std::getenv("GANC_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return std::min(n, 64);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool& pool() {
  static ThreadPool instance(configured_threads());
  return instance;
}

}  // namespace

int thread_count() { return pool().size(); }

void parallel_for(int tasks, const std::function<void(int, int)>& fn) { pool().run(tasks, fn); }

}  // namespace ganc

#include "zektra/base/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace zektra {
namespace {

size_t DefaultThreads() {
  if (const char* env = std::getenv("ZEKTRA_THREADS")) {
    long v = std::strtol(env, nullptr, 10);
    if (v > 0 && v < 1024) return static_cast<size_t>(v);
  }
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

std::atomic<size_t> g_threads{0};

// A fixed set of workers that wait for one batch of tasks at a time.
class Pool {
 public:
  static Pool& Get() {
    static Pool pool;
    return pool;
  }

  // Runs tasks[0..n) (n ≤ workers + 1); task 0 on the caller.
  void Run(size_t n, const std::function<void(size_t)>& task) {
    std::lock_guard<std::mutex> serial(run_mutex_);  // one batch at a time
    EnsureWorkers(n - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      pending_ = n - 1;
      next_index_ = 1;
      batch_size_ = n;
      ++generation_;
    }
    cv_.notify_all();
    task(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      ++generation_;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void EnsureWorkers(size_t n) {
    while (workers_.size() < n) workers_.emplace_back([this] { Loop(); });
  }

  void Loop() {
    uint64_t seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || (generation_ != seen && next_index_ < batch_size_); });
      if (stop_) return;
      size_t index = next_index_++;
      if (next_index_ >= batch_size_) seen = generation_;
      const auto* task = task_;
      lock.unlock();
      (*task)(index);
      lock.lock();
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }

  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  const std::function<void(size_t)>* task_ = nullptr;
  size_t pending_ = 0, next_index_ = 0, batch_size_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

thread_local bool t_inside_parallel = false;

}  // namespace

size_t ThreadCount() {
  size_t n = g_threads.load();
  if (n == 0) {
    n = DefaultThreads();
    g_threads.store(n);
  }
  return n;
}

void SetThreadCount(size_t n) { g_threads.store(std::max<size_t>(1, n)); }

void ParallelFor(size_t begin, size_t end, const std::function<void(size_t, size_t)>& body,
                 size_t min_per_thread) {
  if (end <= begin) return;
  size_t total = end - begin;
  size_t threads = std::min(ThreadCount(), std::max<size_t>(1, total / std::max<size_t>(1, min_per_thread)));
  // Nested parallel loops run inline: the outer loop already occupies the workers.
  if (threads <= 1 || t_inside_parallel) {
    body(begin, end);
    return;
  }
  size_t chunk = (total + threads - 1) / threads;
  size_t tasks = (total + chunk - 1) / chunk;
  Pool::Get().Run(tasks, [&](size_t t) {
    t_inside_parallel = true;
    size_t b = begin + t * chunk;
    size_t e = std::min(end, b + chunk);
    body(b, e);
    t_inside_parallel = false;
  });
}

}  // namespace zektra

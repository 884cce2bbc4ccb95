// A thread that runs a loop between start() and stop(): the loop watches its stop_token,
// stop() asks it to end and waits for it. stop() is safe before start() and twice.
#pragma once

#include <functional>
#include <stop_token>
#include <thread>
#include <utility>

namespace borealis::agent {

class WorkerThread {
 public:
  WorkerThread() = default;
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;
  ~WorkerThread() { stop(); }

  void start(std::function<void(std::stop_token)> loop) { thread_ = std::jthread(std::move(loop)); }

  void stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    thread_.join();
  }

 private:
  std::jthread thread_;
};

}  // namespace borealis::agent

// An io_context run on a thread of its own, kept alive (a work guard) until finish().
// finish() lets the loop run what is already posted, such as closing connections, and end
// by itself; only a loop still busy after `grace` is cut short.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

namespace borealis::agent {

class IoLoop {
 public:
  explicit IoLoop(boost::asio::io_context& io) : io_(io) {}
  IoLoop(const IoLoop&) = delete;
  IoLoop& operator=(const IoLoop&) = delete;
  ~IoLoop() { finish(); }

  void start() {
    work_.emplace(io_.get_executor());
    std::promise<void> ran;
    done_ = ran.get_future();
    thread_ = std::thread([this, ran = std::move(ran)]() mutable {
      io_.run();
      ran.set_value();
    });
  }

  bool running() const { return thread_.joinable(); }

  void finish(std::chrono::milliseconds grace = std::chrono::seconds(2)) {
    if (!thread_.joinable()) return;
    work_.reset();
    if (done_.wait_for(grace) != std::future_status::ready) io_.stop();
    thread_.join();
  }

 private:
  boost::asio::io_context& io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::future<void> done_;
};

}  // namespace borealis::agent

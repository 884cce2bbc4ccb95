#include "scheduler/store/group_commit.h"

namespace borealis::scheduler {

GroupCommitter::GroupCommitter(Store& store, Done done)
    : store_(store), done_(std::move(done)), thread_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void GroupCommitter::submit(StoreBatch batch) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(batch));
  }
  cv_.notify_one();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void GroupCommitter::run() {
  while (true) {
    std::deque<StoreBatch> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      group.swap(queue_);
    }
    std::vector<const StoreBatch*> writes;
    uint64_t rows = 0;
    for (const auto& b : group) {
      rows += b.size();
      if (!b.empty()) writes.push_back(&b);
    }
    Status st = writes.empty() ? Status() : store_.apply(writes);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.batches += group.size();
      stats_.transactions += writes.empty() ? 0 : 1;
      stats_.rows += rows;
    }
    done_(group.back().generation, st);
  }
}

}  // namespace borealis::scheduler

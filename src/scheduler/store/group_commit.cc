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
    queue_.push_back(Item{std::move(batch), nullptr});
  }
  cv_.notify_one();
}

void GroupCommitter::run_between_writes(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Item{StoreBatch(), std::move(task)});
  }
  cv_.notify_one();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void GroupCommitter::run() {
  while (true) {
    std::deque<Item> items;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      items.swap(queue_);
    }
    std::vector<StoreBatch> group;
    for (Item& item : items) {
      if (item.task) {
        write_group(group);
        item.task();
      } else {
        group.push_back(std::move(item.batch));
      }
    }
    write_group(group);
  }
}

void GroupCommitter::write_group(std::vector<StoreBatch>& group) {
  if (group.empty()) return;
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
  uint64_t last = group.back().generation;
  group.clear();
  done_(last, st);
}

}  // namespace borealis::scheduler

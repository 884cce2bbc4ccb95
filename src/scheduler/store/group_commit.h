// GroupCommitter: a thread that makes batches durable, many per transaction when they
// queue up (group commit), so durability costs one fsync per group, not per change.
//
// Threading: submit() from any thread; `done` runs on the committer's thread, in
// generation order, once per group, with the highest generation of the group.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "scheduler/store/store.h"

namespace borealis::scheduler {

class GroupCommitter {
 public:
  using Done = std::function<void(uint64_t generation, const Status& status)>;

  GroupCommitter(Store& store, Done done);
  ~GroupCommitter();  // commits what is queued, then stops

  void submit(StoreBatch batch);
  // Runs `task` on the committer's thread after the batches submitted before it are
  // written, and before any submitted after: a backup or a restore sees no transaction
  // half done and races none.
  void run_between_writes(std::function<void()> task);

  struct Stats {
    uint64_t batches = 0;
    uint64_t transactions = 0;
    uint64_t rows = 0;
  };
  Stats stats() const;

 private:
  void run();

  Store& store_;
  Done done_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Item {
    StoreBatch batch;
    std::function<void()> task;  // set: run it instead of writing `batch`
  };
  // Writes the batches as one group (none: nothing).
  void write_group(std::vector<StoreBatch>& group);

  std::deque<Item> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace borealis::scheduler

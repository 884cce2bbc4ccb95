// InMemoryStore: the scheduler's Store kept in memory, for tests. It reuses the core's
// MemoryStore (the same delete-then-put rules the SQLite store follows) behind the Store
// interface, so a SchedulerService can run on it, and so a test can stop a scheduler and
// start a new one on the same state, as a restart on the same SQLite file would.
//
// Thread-safety: every method may be called from any thread (the scheduler's committer
// thread applies, a test thread may load).
#pragma once

#include <mutex>

#include "scheduler/core/sim_cluster.h"
#include "scheduler/store/store.h"

namespace borealis::testing {

class InMemoryStore final : public scheduler::Store {
 public:
  Result<scheduler::StoredState> load() override;
  Status apply(const std::vector<const scheduler::StoreBatch*>& batches) override;
  std::string describe() const override { return "memory"; }
  // Counts epochs without fencing: the schedulers sharing this store in a test run one
  // after another, never side by side.
  Result<uint64_t> claim_epoch() override;

 private:
  std::mutex mu_;
  uint64_t epoch_ = 0;
  scheduler::MemoryStore rows_;
};

}  // namespace borealis::testing

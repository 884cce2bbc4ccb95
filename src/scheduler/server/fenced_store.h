// FencedStore: the store as the elected leader writes to it. Every apply() first waits for
// a valid leadership lease (leadership_lease.h): a leader that lost ZooKeeper, or was
// paused past its session, writes and acknowledges nothing more; once leadership is lost
// every apply() fails "fenced: ...". The store's own epoch check (claimed on election)
// still refuses a write that passed this gate before a newer leader claimed.
//
// Thread-safety: as the wrapped store (the group committer's thread writes).
#pragma once

#include <chrono>

#include "scheduler/server/leadership_lease.h"
#include "scheduler/store/store.h"

namespace borealis::scheduler {

class FencedStore : public Store {
 public:
  // `max_wait`: how long a write waits for ZooKeeper to confirm the lease before failing.
  FencedStore(Store& store, const LeadershipLease& lease, std::chrono::milliseconds max_wait)
      : store_(store), lease_(lease), max_wait_(max_wait) {}

  Result<StoredState> load() override { return store_.load(); }
  Status apply(const std::vector<const StoreBatch*>& batches) override {
    BOREALIS_RETURN_IF_ERROR(lease_.await_valid(max_wait_));
    return store_.apply(batches);
  }
  std::string describe() const override { return store_.describe(); }
  Result<uint64_t> claim_epoch() override { return store_.claim_epoch(); }
  Status replace_all(const StoredState& state) override {
    BOREALIS_RETURN_IF_ERROR(lease_.await_valid(max_wait_));
    return store_.replace_all(state);
  }

 private:
  Store& store_;
  const LeadershipLease& lease_;
  const std::chrono::milliseconds max_wait_;
};

}  // namespace borealis::scheduler

// The scheduler's durable store: rows of job versions, jobs, tasks, agents, updates and
// cron schedules, written in batches (one transaction each) and read back whole at start.
//
// Deviation from ARCHITECTURE.md's "operation log + snapshots": each batch is applied to
// keyed tables (upsert/delete of the rows that changed). SQLite's WAL is the log and the
// tables are the snapshot, kept current incrementally, so recovery is a scan of four tables
// with no replay, and a change costs one row write, never a rewrite of the whole state.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "scheduler/core/store_batch.h"

namespace borealis::scheduler {

class Store {
 public:
  virtual ~Store() = default;
  // Everything stored.
  virtual Result<StoredState> load() = 0;
  // Applies the batches in order in one transaction: deletes, then puts, per batch. When
  // it returns OK the change is durable; on error nothing of it is stored.
  virtual Status apply(const std::vector<const StoreBatch*>& batches) = 0;
  virtual std::string describe() const = 0;

  // Leadership fencing. Takes the next leadership epoch (stored; one more than any
  // claimed before) and from then on every apply() checks, inside its transaction, that
  // the stored epoch is still this one: once a newer leader has claimed, apply() fails
  // with kFailedPrecondition ("fenced: ...") and writes nothing, so a paused old leader
  // cannot write after a new one took over. Without a claim, apply() does not check.
  virtual Result<uint64_t> claim_epoch() = 0;

  // Replaces everything stored with `state` in one transaction, fenced like apply(): a
  // restore from a backup. SQLite and PostgreSQL empty every table first; this default,
  // for other stores, deletes through one apply() what `state` lacks, except agents (a
  // batch cannot delete one; a stale agent row only waits for its agent to register).
  virtual Status replace_all(const StoredState& state);
};

struct StoreOpenOptions {
  // PostgreSQL: how long a write (or load, or claim) keeps reconnecting after a lost
  // connection before it fails (PgStoreOptions::retry_window).
  std::chrono::milliseconds retry_window{30000};
};

// "sqlite:///abs/path/state.db" (or "sqlite://relative.db"): the directory is created, and
// a second scheduler opening the same file is refused.
// "postgresql://user[:password]@host:port/dbname[?...]" (or "postgres://"): PgStore,
// shared by the schedulers of a cluster, fenced by claim_epoch().
Result<std::unique_ptr<Store>> open_store(const std::string& url,
                                          const StoreOpenOptions& options = {});

}  // namespace borealis::scheduler

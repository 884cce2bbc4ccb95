// PostgreSQL implementation of Store, through libpq: the same tables as SQLite (configs,
// jobs, tasks, agents, updates, cron_jobs as `id TEXT PRIMARY KEY, data TEXT NOT NULL`, and
// meta with schema_version and leader_epoch), created when missing.
//
// Unlike SQLite, several schedulers share one database (a leader and its standbys), so the
// leadership epoch (claim_epoch()) is what keeps a deposed leader from writing: apply()
// locks the meta row and compares the epoch inside its own transaction.
//
// A lost connection (a PostgreSQL restart, a failover of the server) is reconnected and the
// whole call retried until `retry_window` has passed; then the error names the server.
//
// A write costs two round trips whatever its size: its BEGIN, fencing check and every
// statement (prepared once per connection) go out in one libpq pipeline, and COMMIT follows
// once the fencing check's answer is read.
//
// Threading: one caller at a time (the group committer, or load() at start); calls are
// serialized by a mutex so a backup's load() may come from another thread.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <mutex>

#include "scheduler/store/pg_wire.h"
#include "scheduler/store/store.h"
#include "scheduler/store/store_tables.h"

namespace borealis::scheduler {

struct PgStoreOptions {
  // How long apply(), load() and claim_epoch() keep reconnecting and retrying after a lost
  // connection before they fail.
  std::chrono::milliseconds retry_window{30000};
};

class PgStore final : public Store {
 public:
  // `url`: postgresql://user[:password]@host:port/dbname[?param=value...] (libpq's URI).
  static Result<std::unique_ptr<PgStore>> open(const std::string& url,
                                               const PgStoreOptions& options = {});
  ~PgStore() override;

  Result<StoredState> load() override;
  Status apply(const std::vector<const StoreBatch*>& batches) override;
  // postgresql://user@host:port/dbname: never the password.
  std::string describe() const override { return name_; }
  Result<uint64_t> claim_epoch() override;
  Status replace_all(const StoredState& state) override;

  // The batch list folded to one final operation per key and table (see fold() in
  // pg_store.cc), in the order of kTables there.
  static constexpr int kTableCount = kStoreTableCount;
  struct TableOps {
    std::vector<std::string_view> deleted;
    std::vector<const Row*> puts;
  };

 private:
  PgStore(std::string url, std::string name, PgStoreOptions options)
      : url_(std::move(url)), name_(std::move(name)), options_(options) {}
  Status connect();
  Status create_schema();
  // Runs `attempt` on a live connection; reconnects and runs it again while the failure is a
  // lost connection, until the retry window has passed.
  Status with_retry(const std::string& what, const std::function<Status()>& attempt);
  // One transaction: the fencing check, emptying every table when `wipe`, then `ops`.
  Status apply_once(const TableOps (&ops)[kTableCount], bool wipe = false);
  // The DELETE and upsert of every table as prepared statements of this connection.
  Status prepare_statements();
  // A statement sent in the pipeline and not yet answered: what it does (for errors) and
  // the status it answers with when it succeeds.
  struct Pending {
    std::string what;
    ExecStatusType want;
  };
  // Sends `sql` (without parameters) or the prepared `statement` with text[] parameters.
  Status send(std::vector<Pending>& pending, Pending p, const char* sql);
  Status send_prepared(std::vector<Pending>& pending, Pending p, const std::string& statement,
                       std::initializer_list<TextArray*> arrays);
  Status send_table(std::vector<Pending>& pending, int table, const TableOps& ops);
  // Syncs the pipeline and reads every answer: the first failure, or OK; the answer of
  // pending[keep] is kept in `kept`. Leaves pipeline mode (or drops a confused connection).
  Status finish_pipeline(const std::vector<Pending>& pending, size_t keep, PGresult*& kept);
  Status check_epoch(const PGresult* r);
  Status load_once(StoredState& state);
  Status copy_out(int table, std::vector<Row>& rows);
  Status claim_once(uint64_t& epoch);
  Status exec(const std::string& what, const char* sql, ExecStatusType want);
  // OK when `r` has status `want`; else an error naming the server, what was being done,
  // PostgreSQL's message and SQLSTATE (and notes a lost connection for with_retry).
  Status check(const std::string& what, const PGresult* r, ExecStatusType want);
  void rollback();

  std::string url_;
  std::string name_;
  PgStoreOptions options_;
  std::mutex mu_;
  PGconn* conn_ = nullptr;
  bool connection_lost_ = false;  // set by check() on a SQLSTATE a new connection may cure
  bool prepared_ = false;         // prepare_statements() ran on this connection
  uint64_t epoch_ = 0;            // claimed by this handle; 0: apply() does not check
};

}  // namespace borealis::scheduler

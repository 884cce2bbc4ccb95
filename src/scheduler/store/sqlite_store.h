// SQLite implementation of Store: WAL journal, synchronous=FULL (a commit is on disk when
// apply() returns), exclusive locking (one scheduler per file). Errors name the file,
// SQLite's code and the system error ("... disk I/O error (SQLITE_IOERR_FSYNC in the journal:
// Input/output error (EIO))").
#pragma once

#include <sqlite3.h>

#include <functional>

#include "common/env.h"
#include "scheduler/store/store.h"

namespace borealis::scheduler {

struct SqliteStoreOptions {
  // Creates the file's directory; must outlive open(). nullptr: the real file system.
  Env* env = nullptr;
  // The SQLite VFS to do I/O through; "" is SQLite's default. Tests pass a
  // fault-injecting one (FaultVfs), since SQLite does its own I/O, not through Env.
  std::string vfs;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const SqliteStoreOptions& options = {});
  ~SqliteStore() override;

  Result<StoredState> load() override;
  Status apply(const std::vector<const StoreBatch*>& batches) override;
  std::string describe() const override { return "sqlite://" + path_; }
  Result<uint64_t> claim_epoch() override;
  Status replace_all(const StoredState& state) override;

 private:
  SqliteStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status exec(const char* sql);
  Status prepare_statements();
  // One write transaction: the fencing check, `body` (false: it failed, described by
  // SQLite's last error, prefixed with `what`), commit; rolled back on any failure.
  Status write(const char* what, const std::function<bool()>& body);
  // Steps a put (with data) or delete statement for one key.
  bool run(sqlite3_stmt* st, const std::string& id, const std::string* data);
  Status error(const std::string& what) const;
  // The epoch stored in meta (0 when none was ever claimed).
  Result<uint64_t> stored_epoch();

  std::string path_;
  sqlite3* db_ = nullptr;
  // put and delete statements per table: configs, jobs, tasks, agents, updates, cron_jobs
  static constexpr int kTableCount = 6;
  sqlite3_stmt* put_[kTableCount] = {};
  sqlite3_stmt* del_[kTableCount] = {};
  uint64_t epoch_ = 0;  // claimed by this process; 0: apply() does not check
};

}  // namespace borealis::scheduler

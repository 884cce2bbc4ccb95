// SQLite implementation of Store: WAL journal, synchronous=FULL (a commit is on disk when
// apply() returns), exclusive locking (one scheduler per file).
#pragma once

#include <sqlite3.h>

#include "scheduler/store/store.h"

namespace borealis::scheduler {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;

  Result<StoredState> load() override;
  Status apply(const std::vector<const StoreBatch*>& batches) override;
  std::string describe() const override { return "sqlite://" + path_; }

 private:
  SqliteStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status exec(const char* sql);
  Status prepare_statements();
  Status error(const std::string& what) const;

  std::string path_;
  sqlite3* db_ = nullptr;
  // put and delete statements per table: configs, jobs, tasks, agents, updates
  sqlite3_stmt* put_[5] = {};
  sqlite3_stmt* del_[5] = {};
};

}  // namespace borealis::scheduler

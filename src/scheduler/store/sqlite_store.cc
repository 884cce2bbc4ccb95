#include "scheduler/store/sqlite_store.h"

#include <filesystem>

#include "common/strings.h"

namespace borealis::scheduler {

namespace {

constexpr const char* kTables[5] = {"configs", "jobs", "tasks", "agents", "updates"};
constexpr int kSchemaVersion = 1;

}  // namespace

Status SqliteStore::error(const std::string& what) const {
  return io_error(what + " in " + path_ + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return io_error(std::string("store ") + path_ + ": " + msg + " (in: " + sql + ")");
  }
  return Status();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create directory " + dir.string() + ": " + ec.message());
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return io_error("cannot open store " + path + ": " + msg);
  }
  std::unique_ptr<SqliteStore> s(new SqliteStore(path, db));
  // Locks held by a killed scheduler vanish with its process, so a short wait is enough.
  sqlite3_busy_timeout(db, 500);
  BOREALIS_RETURN_IF_ERROR(s->exec("PRAGMA locking_mode=EXCLUSIVE"));
  // Setting WAL and taking the write lock now make a second scheduler on the same file
  // fail at start rather than at its first write.
  Status locked = s->exec("PRAGMA journal_mode=WAL");
  if (locked.ok()) locked = s->exec("BEGIN IMMEDIATE; COMMIT");
  if (!locked.ok()) {
    if (sqlite3_errcode(db) == SQLITE_BUSY || sqlite3_errcode(db) == SQLITE_LOCKED)
      return failed_precondition("store " + path + " is in use by another scheduler");
    return locked;
  }
  BOREALIS_RETURN_IF_ERROR(s->exec("PRAGMA synchronous=FULL"));
  for (const char* t : kTables) {
    std::string sql = std::string("CREATE TABLE IF NOT EXISTS ") + t +
                      " (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID";
    BOREALIS_RETURN_IF_ERROR(s->exec(sql.c_str()));
  }
  BOREALIS_RETURN_IF_ERROR(
      s->exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
  // The schema version guards against a newer scheduler's file being read by an older one.
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, nullptr);
  int found = -1;
  if (sqlite3_step(st) == SQLITE_ROW)
    found = static_cast<int>(
        parse_int64(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))).value_or(-1));
  sqlite3_finalize(st);
  if (found == -1) {
    std::string sql =
        "INSERT INTO meta VALUES ('schema_version', '" + std::to_string(kSchemaVersion) + "')";
    BOREALIS_RETURN_IF_ERROR(s->exec(sql.c_str()));
  } else if (found != kSchemaVersion) {
    return failed_precondition("store " + path + " has schema version " + std::to_string(found) +
                               "; this scheduler reads version " + std::to_string(kSchemaVersion));
  }
  BOREALIS_RETURN_IF_ERROR(s->prepare_statements());
  return s;
}

Status SqliteStore::prepare_statements() {
  for (int i = 0; i < 5; ++i) {
    std::string put = std::string("INSERT OR REPLACE INTO ") + kTables[i] + " VALUES (?, ?)";
    std::string del = std::string("DELETE FROM ") + kTables[i] + " WHERE id = ?";
    if (sqlite3_prepare_v2(db_, put.c_str(), -1, &put_[i], nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, del.c_str(), -1, &del_[i], nullptr) != SQLITE_OK)
      return error("preparing statements");
  }
  return Status();
}

SqliteStore::~SqliteStore() {
  for (int i = 0; i < 5; ++i) {
    sqlite3_finalize(put_[i]);
    sqlite3_finalize(del_[i]);
  }
  sqlite3_close(db_);
}

Result<StoredState> SqliteStore::load() {
  StoredState state;
  std::vector<Row>* targets[5] = {&state.configs, &state.jobs, &state.tasks, &state.agents,
                                  &state.updates};
  for (int i = 0; i < 5; ++i) {
    std::string sql = std::string("SELECT id, data FROM ") + kTables[i];
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      return error("reading " + std::string(kTables[i]));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      targets[i]->emplace_back(
          std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      sqlite3_column_bytes(st, 0)),
          std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                      sqlite3_column_bytes(st, 1)));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return error("reading " + std::string(kTables[i]));
  }
  return state;
}

Status SqliteStore::apply(const std::vector<const StoreBatch*>& batches) {
  auto run = [&](sqlite3_stmt* st, const std::string& id, const std::string* data) -> bool {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    if (data) sqlite3_bind_text(st, 2, data->data(), static_cast<int>(data->size()), SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE;
  };
  BOREALIS_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  bool ok = true;
  for (const StoreBatch* b : batches) {
    const std::vector<std::string>* deletes[5] = {&b->deleted_configs, &b->deleted_jobs,
                                                  &b->deleted_tasks, nullptr, &b->deleted_updates};
    const std::vector<Row>* puts[5] = {&b->configs, &b->jobs, &b->tasks, &b->agents, &b->updates};
    for (int i = 0; i < 5 && ok; ++i)
      if (deletes[i])
        for (const auto& id : *deletes[i])
          if (!(ok = run(del_[i], id, nullptr))) break;
    for (int i = 0; i < 5 && ok; ++i)
      for (const auto& [id, data] : *puts[i])
        if (!(ok = run(put_[i], id, &data))) break;
    if (!ok) break;
  }
  if (!ok) {
    Status st = error("writing a batch");
    exec("ROLLBACK").ok();
    return st;
  }
  Status committed = exec("COMMIT");
  if (!committed.ok()) exec("ROLLBACK").ok();
  return committed;
}

Result<std::unique_ptr<Store>> open_store(const std::string& url) {
  const std::string prefix = "sqlite://";
  if (!starts_with(url, prefix))
    return invalid_argument("store URL '" + url +
                            "' is not supported; use sqlite:///path/to/state.db");
  std::string path = url.substr(prefix.size());
  if (path.empty()) return invalid_argument("store URL '" + url + "' names no file");
  auto s = SqliteStore::open(path);
  if (!s.ok()) return s.status();
  return std::unique_ptr<Store>(std::move(s).value());
}

}  // namespace borealis::scheduler

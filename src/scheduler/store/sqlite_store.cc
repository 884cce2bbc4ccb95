#include "scheduler/store/sqlite_store.h"

#include <cstring>

#include "common/strings.h"
#include "scheduler/store/store_tables.h"

namespace borealis::scheduler {

namespace {

constexpr const auto& kTables = kStoreTables;
constexpr int kSchemaVersion = 1;

// The system error the VFS kept for the database's WAL (or journal) or its main file,
// with that file's role: "-wal: Input/output error (EIO)". Empty when there is none.
std::string last_system_error(sqlite3* db) {
  sqlite3_file* journal = nullptr;
  sqlite3_file* main = nullptr;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal);
  sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &main);
  for (auto [file, role] : {std::pair{journal, "the journal"}, std::pair{main, "the database"}}) {
    int err = 0;
    if (!file || !file->pMethods ||
        file->pMethods->xFileControl(file, SQLITE_FCNTL_LAST_ERRNO, &err) != SQLITE_OK || err == 0)
      continue;
    const char* name = ::strerrorname_np(err);
    return std::string(" in ") + role + ": " + std::strerror(err) + " (" + (name ? name : "?") +
           ")";
  }
  return "";
}

// SQLite's message, its code, and for I/O errors the system error behind it:
// "disk I/O error (SQLITE_IOERR_FSYNC in the journal: Input/output error (EIO))".
std::string describe_error(sqlite3* db) {
  int code = sqlite3_extended_errcode(db);
  std::string out = sqlite3_errmsg(db);
  switch (code) {
    case SQLITE_FULL:  // what the unix VFS makes of ENOSPC
      return out + " (SQLITE_FULL: no space left on device, ENOSPC)";
    case SQLITE_IOERR_WRITE:
      return out + " (SQLITE_IOERR_WRITE" + last_system_error(db) + ")";
    case SQLITE_IOERR_FSYNC:
      return out + " (SQLITE_IOERR_FSYNC" + last_system_error(db) + ")";
    default:
      if ((code & 0xff) != SQLITE_IOERR) return out;
      return out + " (SQLITE_IOERR code " + std::to_string(code) + last_system_error(db) + ")";
  }
}

}  // namespace

Status SqliteStore::error(const std::string& what) const {
  return io_error(what + " in " + path_ + ": " + describe_error(db_));
}

Status SqliteStore::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
    return io_error(std::string("store ") + path_ + ": " + describe_error(db_) + " (in: " + sql +
                    ")");
  return Status();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  Env& env = options.env ? *options.env : Env::posix();
  BOREALIS_RETURN_IF_ERROR(make_dirs(env, parent_dir(path)));
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
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
  for (int i = 0; i < kTableCount; ++i) {
    std::string put = std::string("INSERT OR REPLACE INTO ") + kTables[i] + " VALUES (?, ?)";
    std::string del = std::string("DELETE FROM ") + kTables[i] + " WHERE id = ?";
    if (sqlite3_prepare_v2(db_, put.c_str(), -1, &put_[i], nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, del.c_str(), -1, &del_[i], nullptr) != SQLITE_OK)
      return error("preparing statements");
  }
  return Status();
}

SqliteStore::~SqliteStore() {
  for (int i = 0; i < kTableCount; ++i) {
    sqlite3_finalize(put_[i]);
    sqlite3_finalize(del_[i]);
  }
  sqlite3_close(db_);
}

Result<StoredState> SqliteStore::load() {
  StoredState state;
  const auto targets = rows_by_table(state);
  for (int i = 0; i < kTableCount; ++i) {
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

Result<uint64_t> SqliteStore::stored_epoch() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE key='leader_epoch'", -1, &st,
                         nullptr) != SQLITE_OK)
    return error("reading the leadership epoch");
  uint64_t epoch = 0;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    epoch = static_cast<uint64_t>(
        parse_int64(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))).value_or(0));
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error("reading the leadership epoch");
  return epoch;
}

Result<uint64_t> SqliteStore::claim_epoch() {
  BOREALIS_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  auto current = stored_epoch();
  if (!current.ok()) {
    exec("ROLLBACK").ok();
    return current.status();
  }
  uint64_t next = *current + 1;
  std::string sql =
      "INSERT OR REPLACE INTO meta VALUES ('leader_epoch', '" + std::to_string(next) + "')";
  Status st = exec(sql.c_str());
  if (st.ok()) st = exec("COMMIT");
  if (!st.ok()) {
    exec("ROLLBACK").ok();
    return st;
  }
  epoch_ = next;
  return next;
}

bool SqliteStore::run(sqlite3_stmt* st, const std::string& id, const std::string* data) {
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
  if (data) sqlite3_bind_text(st, 2, data->data(), static_cast<int>(data->size()), SQLITE_STATIC);
  return sqlite3_step(st) == SQLITE_DONE;
}

Status SqliteStore::write(const char* what, const std::function<bool()>& body) {
  BOREALIS_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  if (epoch_ != 0) {
    // SQLite's exclusive lock already keeps a second scheduler out; the check makes the
    // contract the same as PostgreSQL's (a store shared by several schedulers).
    auto stored = stored_epoch();
    if (!stored.ok() || *stored != epoch_) {
      exec("ROLLBACK").ok();
      if (!stored.ok()) return stored.status();
      return failed_precondition("fenced: leadership epoch " + std::to_string(epoch_) +
                                 " was superseded by " + std::to_string(*stored) + " in " + path_);
    }
  }
  if (!body()) {
    Status st = error(what);
    exec("ROLLBACK").ok();
    return st;
  }
  Status committed = exec("COMMIT");
  if (!committed.ok()) exec("ROLLBACK").ok();
  return committed;
}

Status SqliteStore::apply(const std::vector<const StoreBatch*>& batches) {
  return write("writing a batch", [&] {
    for (const StoreBatch* b : batches) {
      const auto deletes = deletes_by_table(*b);
      const auto puts = puts_by_table(*b);
      for (int i = 0; i < kTableCount; ++i)
        if (deletes[i])
          for (const auto& id : *deletes[i])
            if (!run(del_[i], id, nullptr)) return false;
      for (int i = 0; i < kTableCount; ++i)
        for (const auto& [id, data] : *puts[i])
          if (!run(put_[i], id, &data)) return false;
    }
    return true;
  });
}

Status SqliteStore::replace_all(const StoredState& state) {
  return write("replacing the store's contents", [&] {
    const auto tables = rows_by_table(state);
    for (int i = 0; i < kTableCount; ++i) {
      std::string wipe = std::string("DELETE FROM ") + kTables[i];
      if (sqlite3_exec(db_, wipe.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return false;
      for (const auto& [id, data] : *tables[i])
        if (!run(put_[i], id, &data)) return false;
    }
    return true;
  });
}

}  // namespace borealis::scheduler

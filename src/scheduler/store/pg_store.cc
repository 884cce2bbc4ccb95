#include "scheduler/store/pg_store.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/strings.h"
#include "scheduler/store/pg_wire.h"
#include "scheduler/store/store_tables.h"

namespace borealis::scheduler {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const auto& kTables = kStoreTables;
constexpr int kTableCount = kStoreTableCount;
constexpr int kSchemaVersion = 1;
// Rows per INSERT/DELETE statement: big enough that round trips do not matter, small
// enough to bound one message.
constexpr size_t kRowsPerStatement = 5000;
constexpr size_t kBytesPerStatement = 16u << 20;
// Serializes schema creation between schedulers starting at once (any constant will do).
constexpr const char* kSchemaLockKey = "7316190245";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// "postgresql://user@host:port/dbname", from libpq's own parse of the URL: no password.
Result<std::string> public_name(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "out of memory";
    PQfreemem(err);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return invalid_argument("store URL is not a PostgreSQL URL: " + msg);
  }
  std::unordered_map<std::string, std::string> v;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val) v[o->keyword] = o->val;
  PQconninfoFree(opts);
  std::string host = v.count("host") ? v["host"] : "localhost";
  std::string port = v.count("port") ? v["port"] : "5432";
  return "postgresql://" + (v.count("user") ? v["user"] + "@" : "") + host + ":" + port + "/" +
         (v.count("dbname") ? v["dbname"] : "");
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A failure that a new connection may cure: the connection broke, the server is shutting
// down or starting up, or a transaction lost a serialization race or a deadlock.
bool transient_sqlstate(const char* state) {
  if (!state) return false;
  std::string_view s(state);
  return starts_with(s, "08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "40001" ||
         s == "40P01";
}

// One final operation per key, in first-seen order: applying the batches one after another
// (deletes, then puts, per batch) leaves each key as its last operation says, and one
// INSERT ... ON CONFLICT may not touch a row twice.
using TableOps = PgStore::TableOps;

void fold(const std::vector<const StoreBatch*>& batches, TableOps (&out)[kTableCount]) {
  for (int i = 0; i < kTableCount; ++i) {
    std::unordered_map<std::string_view, const Row*> last;  // nullptr: deleted
    std::vector<std::string_view> order;
    auto note = [&](std::string_view id, const Row* row) {
      auto [it, fresh] = last.try_emplace(id, row);
      if (fresh)
        order.push_back(id);
      else
        it->second = row;
    };
    for (const StoreBatch* b : batches) {
      const auto deletes = deletes_by_table(*b);
      const auto puts = puts_by_table(*b);
      if (deletes[i])
        for (const auto& id : *deletes[i]) note(id, nullptr);
      for (const Row& row : *puts[i]) note(row.first, &row);
    }
    for (std::string_view id : order) {
      const Row* row = last[id];
      if (row)
        out[i].puts.push_back(row);
      else
        out[i].deleted.push_back(id);
    }
  }
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url,
                                               const PgStoreOptions& options) {
  BOREALIS_ASSIGN_OR_RETURN(std::string name, public_name(url));
  std::unique_ptr<PgStore> s(new PgStore(url, name, options));
  std::lock_guard<std::mutex> lock(s->mu_);
  BOREALIS_RETURN_IF_ERROR(s->connect());
  BOREALIS_RETURN_IF_ERROR(s->create_schema());
  return s;
}

PgStore::~PgStore() { PQfinish(conn_); }

Status PgStore::connect() {
  PQfinish(conn_);
  // The URL's own settings win over these defaults (expand_dbname: later keys override).
  // work_mem: unnest() of a statement's arrays (up to kBytesPerStatement) is materialized;
  // at the default 4 MB it spills to a temporary file and is read back, for every statement.
  const char* keys[] = {"connect_timeout", "application_name", "options", "dbname", nullptr};
  const char* values[] = {"5", "borealis-scheduler", "-c work_mem=64MB", url_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  prepared_ = false;
  if (!conn_) return unavailable("PostgreSQL at " + name_ + ": out of memory connecting");
  if (PQstatus(conn_) != CONNECTION_OK)
    return unavailable("cannot connect to PostgreSQL at " + name_ + ": " +
                       trimmed(PQerrorMessage(conn_)));
  // NOTICEs ("relation already exists, skipping") are not errors: keep stderr clean.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  return Status::ok_status();
}

Status PgStore::exec(const std::string& what, const char* sql, ExecStatusType want) {
  PgResult r(PQexec(conn_, sql));
  return check(what, r.get(), want);
}

Status PgStore::check(const std::string& what, const PGresult* r, ExecStatusType want) {
  if (r && PQresultStatus(r) == want) return Status::ok_status();
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (transient_sqlstate(state)) connection_lost_ = true;
  std::string message = r ? trimmed(PQresultErrorMessage(r)) : "";
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  return io_error("PostgreSQL at " + name_ + ": " + what + ": " + message +
                  (state ? std::string(" (SQLSTATE ") + state + ")" : ""));
}

void PgStore::rollback() {
  if (PQstatus(conn_) == CONNECTION_OK) PgResult(PQexec(conn_, "ROLLBACK"));
}

Status PgStore::create_schema() {
  std::string sql = "BEGIN; SELECT pg_advisory_xact_lock(" + std::string(kSchemaLockKey) + ");";
  // COLLATE "C": keys compare as bytes (fast, and the same order whatever the database's
  // locale).
  for (const char* t : kTables)
    sql += std::string("CREATE TABLE IF NOT EXISTS ") + t +
           " (id TEXT COLLATE \"C\" PRIMARY KEY, data TEXT NOT NULL);";
  sql +=
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "INSERT INTO meta VALUES ('schema_version', '" +
      std::to_string(kSchemaVersion) +
      "') ON CONFLICT DO NOTHING;"
      "INSERT INTO meta VALUES ('leader_epoch', '0') ON CONFLICT DO NOTHING;";
  Status st = exec("creating the schema", sql.c_str(), PGRES_COMMAND_OK);
  if (!st.ok()) {
    rollback();
    return st;
  }
  // The schema version guards against a newer scheduler's database read by an older one.
  PgResult r(PQexec(conn_, "SELECT value FROM meta WHERE key = 'schema_version'"));
  st = check("reading the schema version", r.get(), PGRES_TUPLES_OK);
  if (st.ok()) st = exec("creating the schema", "COMMIT", PGRES_COMMAND_OK);
  if (!st.ok()) {
    rollback();
    return st;
  }
  int64_t found =
      PQntuples(r.get()) == 1 ? parse_int64(PQgetvalue(r.get(), 0, 0)).value_or(-1) : -1;
  if (found != kSchemaVersion)
    return failed_precondition("store " + name_ + " has schema version " + std::to_string(found) +
                               "; this scheduler reads version " + std::to_string(kSchemaVersion));
  return Status::ok_status();
}

Status PgStore::with_retry(const std::string& what, const std::function<Status()>& attempt) {
  auto deadline = Clock::now() + options_.retry_window;
  auto backoff = std::chrono::milliseconds(50);
  for (int tries = 0;; ++tries) {
    connection_lost_ = false;
    Status st = PQstatus(conn_) == CONNECTION_OK ? Status::ok_status() : connect();
    if (st.ok()) {
      st = attempt();
      if (st.ok()) {
        if (tries > 0) spdlog::info("store {}: {} succeeded after {} retries", name_, what, tries);
        return st;
      }
    } else {
      connection_lost_ = true;
    }
    if (!connection_lost_ && PQstatus(conn_) == CONNECTION_OK) return st;
    auto now = Clock::now();
    if (now >= deadline)
      return unavailable(what + ": PostgreSQL at " + name_ + " unreachable for " +
                         std::to_string(options_.retry_window.count()) +
                         " ms (the store's retry window): " + std::string(st.message()));
    if (tries == 0)
      spdlog::warn("store {}: {} failed, reconnecting and retrying for up to {} ms: {}", name_,
                   what, options_.retry_window.count(), st.message());
    std::this_thread::sleep_for(std::min<Clock::duration>(backoff, deadline - now));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(500));
  }
}

Result<uint64_t> PgStore::claim_epoch() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t claimed = 0;
  // Retrying after an unknown COMMIT outcome may claim twice: the second epoch supersedes
  // the first, which nobody else holds, so that is harmless.
  BOREALIS_RETURN_IF_ERROR(
      with_retry("claiming the leadership epoch", [&] { return claim_once(claimed); }));
  epoch_ = claimed;
  return claimed;
}

Status PgStore::claim_once(uint64_t& epoch) {
  BOREALIS_RETURN_IF_ERROR(exec("claiming the leadership epoch", "BEGIN", PGRES_COMMAND_OK));
  PgResult r(PQexec(conn_,
                    "UPDATE meta SET value = (value::bigint + 1)::text "
                    "WHERE key = 'leader_epoch' RETURNING value"));
  Status st = check("claiming the leadership epoch", r.get(), PGRES_TUPLES_OK);
  if (st.ok() && PQntuples(r.get()) != 1)
    st = failed_precondition("store " + name_ + " has no leader_epoch row in meta");
  if (st.ok()) st = exec("claiming the leadership epoch", "COMMIT", PGRES_COMMAND_OK);
  if (!st.ok()) {
    rollback();
    return st;
  }
  auto value = parse_int64(PQgetvalue(r.get(), 0, 0));
  if (!value || *value <= 0)
    return failed_precondition("store " + name_ + ": leader_epoch is not a positive number");
  epoch = static_cast<uint64_t>(*value);
  return Status::ok_status();
}

Status PgStore::apply(const std::vector<const StoreBatch*>& batches) {
  std::lock_guard<std::mutex> lock(mu_);
  TableOps ops[kTableCount];
  fold(batches, ops);
  // Retrying is safe because every operation is a full-row upsert or a delete by key, and
  // the batches come from one thread in order: after an unknown COMMIT outcome (the
  // connection broke during COMMIT) applying the same list again leaves the same rows.
  return with_retry("writing a batch", [&] { return apply_once(ops); });
}

Status PgStore::replace_all(const StoredState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  TableOps ops[kTableCount];
  const auto tables = rows_by_table(state);
  for (int i = 0; i < kTableCount; ++i)
    for (const Row& row : *tables[i]) ops[i].puts.push_back(&row);
  return with_retry("replacing the store's contents",
                    [&] { return apply_once(ops, /*wipe=*/true); });
}

Status PgStore::apply_once(const TableOps (&ops)[kTableCount], bool wipe) {
  if (!prepared_) BOREALIS_RETURN_IF_ERROR(prepare_statements());
  if (!PQenterPipelineMode(conn_))
    return io_error("PostgreSQL at " + name_ + ": writing a batch: cannot enter pipeline mode: " +
                    trimmed(PQerrorMessage(conn_)));
  std::vector<Pending> pending;
  Status st = send(pending, {"writing a batch", PGRES_COMMAND_OK}, "BEGIN");
  // FOR SHARE: a claim by another scheduler (an UPDATE of this row) waits for this
  // transaction, and this one waits for a claim in progress and then sees its epoch.
  const size_t epoch_at = pending.size();
  if (st.ok() && epoch_ != 0)
    st = send(pending, {"checking the leadership epoch", PGRES_TUPLES_OK},
              "SELECT value FROM meta WHERE key = 'leader_epoch' FOR SHARE");
  if (st.ok() && wipe) {
    std::string sql = "TRUNCATE";
    for (int i = 0; i < kTableCount; ++i) sql += std::string(i ? ", " : " ") + kTables[i];
    st = send(pending, {"emptying the tables", PGRES_COMMAND_OK}, sql.c_str());
  }
  for (int i = 0; i < kTableCount && st.ok(); ++i) st = send_table(pending, i, ops[i]);
  PGresult* epoch_row = nullptr;
  Status answers = finish_pipeline(pending, epoch_ != 0 ? epoch_at : pending.size(), epoch_row);
  PgResult epoch_result(epoch_row);
  if (st.ok()) st = answers;
  if (st.ok() && epoch_ != 0) st = check_epoch(epoch_result.get());
  if (st.ok()) st = exec("committing a batch", "COMMIT", PGRES_COMMAND_OK);
  if (!st.ok()) rollback();
  return st;
}

Status PgStore::prepare_statements() {
  std::string sql;
  for (const char* t : kTables)
    sql += std::string("PREPARE borealis_delete_") + t + " (text[]) AS DELETE FROM " + t +
           " WHERE id = ANY($1);" + "PREPARE borealis_put_" + t +
           " (text[], text[]) AS INSERT INTO " + t +
           " (id, data) SELECT * FROM unnest($1, $2) ON CONFLICT (id) DO UPDATE SET data = "
           "EXCLUDED.data;";
  BOREALIS_RETURN_IF_ERROR(exec("preparing the write statements", sql.c_str(), PGRES_COMMAND_OK));
  prepared_ = true;
  return Status::ok_status();
}

Status PgStore::send(std::vector<Pending>& pending, Pending p, const char* sql) {
  if (!PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0))
    return check(p.what, nullptr, p.want);
  pending.push_back(std::move(p));
  return Status::ok_status();
}

Status PgStore::send_prepared(std::vector<Pending>& pending, Pending p,
                              const std::string& statement,
                              std::initializer_list<TextArray*> arrays) {
  const char* values[2] = {};
  int lengths[2] = {};
  int formats[2] = {1, 1};
  int n = 0;
  for (TextArray* a : arrays) {
    const std::string& wire = a->finish();
    values[n] = wire.data();
    lengths[n] = static_cast<int>(wire.size());
    ++n;
  }
  // libpq copies the parameters into its output buffer: `arrays` may go once this returns.
  if (!PQsendQueryPrepared(conn_, statement.c_str(), n, values, lengths, formats, 0))
    return check(p.what, nullptr, p.want);
  pending.push_back(std::move(p));
  return Status::ok_status();
}

Status PgStore::send_table(std::vector<Pending>& pending, int table, const TableOps& ops) {
  const std::string del = std::string("borealis_delete_") + kTables[table];
  const std::string put = std::string("borealis_put_") + kTables[table];
  const Pending p{std::string("writing ") + kTables[table], PGRES_COMMAND_OK};
  for (size_t begin = 0; begin < ops.deleted.size();) {
    TextArray ids;
    size_t end = begin;
    while (end < ops.deleted.size() && end - begin < kRowsPerStatement &&
           ids.bytes() < kBytesPerStatement)
      ids.add(ops.deleted[end++]);
    BOREALIS_RETURN_IF_ERROR(send_prepared(pending, p, del, {&ids}));
    begin = end;
  }
  for (size_t begin = 0; begin < ops.puts.size();) {
    TextArray ids, data;
    size_t end = begin;
    while (end < ops.puts.size() && end - begin < kRowsPerStatement &&
           ids.bytes() + data.bytes() < kBytesPerStatement) {
      ids.add(ops.puts[end]->first);
      data.add(ops.puts[end]->second);
      ++end;
    }
    BOREALIS_RETURN_IF_ERROR(send_prepared(pending, p, put, {&ids, &data}));
    begin = end;
  }
  return Status::ok_status();
}

Status PgStore::finish_pipeline(const std::vector<Pending>& pending, size_t keep, PGresult*& kept) {
  // A statement that failed aborts the rest up to the sync (PGRES_PIPELINE_ABORTED): the
  // first failure is the one to report.
  Status first = PQpipelineSync(conn_) ? Status::ok_status()
                                       : check("syncing the pipeline", nullptr, PGRES_COMMAND_OK);
  bool in_step = first.ok();
  for (size_t i = 0; i < pending.size() && in_step; ++i) {
    PgResult r(PQgetResult(conn_));
    if (!r) {
      in_step = false;
      if (first.ok()) first = check(pending[i].what, nullptr, pending[i].want);
      break;
    }
    if (first.ok() && PQresultStatus(r.get()) != PGRES_PIPELINE_ABORTED)
      first = check(pending[i].what, r.get(), pending[i].want);
    if (i == keep) kept = r.release();
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);  // up to this statement's end
  }
  if (in_step) {
    PgResult sync(PQgetResult(conn_));
    in_step = sync && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
  }
  if (in_step && PQexitPipelineMode(conn_)) return first;
  // The answers are not where they should be (the connection broke, or the protocol went
  // out of step): this connection is of no further use; with_retry() opens a new one.
  if (first.ok())
    first = io_error("PostgreSQL at " + name_ +
                     ": writing a batch: the pipeline's answers "
                     "ended early: " +
                     trimmed(PQerrorMessage(conn_)));
  PQfinish(conn_);
  conn_ = nullptr;
  return first;
}

Status PgStore::check_epoch(const PGresult* r) {
  int64_t stored = r && PQntuples(r) == 1 ? parse_int64(PQgetvalue(r, 0, 0)).value_or(-1) : -1;
  if (stored != static_cast<int64_t>(epoch_))
    return failed_precondition("fenced: leadership epoch " + std::to_string(epoch_) +
                               " was superseded by " + std::to_string(stored) + " in " + name_);
  return Status::ok_status();
}

Result<StoredState> PgStore::load() {
  std::lock_guard<std::mutex> lock(mu_);
  StoredState state;
  BOREALIS_RETURN_IF_ERROR(with_retry("reading the store", [&] {
    state = StoredState();
    return load_once(state);
  }));
  return state;
}

Status PgStore::load_once(StoredState& state) {
  const auto targets = rows_by_table(state);
  // One snapshot of all tables, so a backup taken while the leader writes is consistent.
  BOREALIS_RETURN_IF_ERROR(exec(
      "reading the store", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK));
  Status st;
  for (int i = 0; i < kTableCount && st.ok(); ++i) st = copy_out(i, *targets[i]);
  if (st.ok()) st = exec("reading the store", "COMMIT", PGRES_COMMAND_OK);
  if (!st.ok()) rollback();
  return st;
}

Status PgStore::copy_out(int table, std::vector<Row>& rows) {
  const std::string what = std::string("reading ") + kTables[table];
  const std::string sql =
      std::string("COPY ") + kTables[table] + " (id, data) TO STDOUT (FORMAT binary)";
  {
    PgResult started(PQexec(conn_, sql.c_str()));
    BOREALIS_RETURN_IF_ERROR(check(what, started.get(), PGRES_COPY_OUT));
  }
  CopyReader reader;
  Status parsed;
  while (true) {
    char* buf = nullptr;
    int n = PQgetCopyData(conn_, &buf, /*async=*/0);
    if (n < 0) break;  // -1: done; -2: an error, reported by the result below
    if (parsed.ok()) parsed = reader.feed(std::string_view(buf, static_cast<size_t>(n)), rows);
    PQfreemem(buf);
  }
  Status st;
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult r(raw);
    if (st.ok()) st = check(what, r.get(), PGRES_COMMAND_OK);
  }
  if (!st.ok()) return st;
  if (!parsed.ok())
    return io_error("PostgreSQL at " + name_ + ": " + what + ": " + std::string(parsed.message()));
  if (!reader.finished())
    return io_error("PostgreSQL at " + name_ + ": " + what + ": the COPY data ended early");
  return Status::ok_status();
}

}  // namespace borealis::scheduler

// PgStore against a real PostgreSQL 15 (testing/postgres_server.h): one server for the
// binary, one database per test.
#include "scheduler/store/pg_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <map>
#include <thread>

#include "scheduler/store/backup.h"
#include "scheduler/store/testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler {
namespace {

using testing::PostgresServer;

PostgresServer* server = nullptr;

class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto s = PostgresServer::start({.first_port = 9040, .last_port = 9079});
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    server_ = std::move(s).value();
    server = server_.get();
  }
  void TearDown() override {
    server = nullptr;
    server_.reset();
  }

 private:
  std::unique_ptr<PostgresServer> server_;
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(server, nullptr);
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto url = server->create_database(name);
    ASSERT_TRUE(url.ok()) << url.status().to_string();
    url_ = *url;
  }
  std::unique_ptr<PgStore> open(std::chrono::milliseconds retry = std::chrono::seconds(30)) {
    auto s = PgStore::open(url_, PgStoreOptions{retry});
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // Runs SQL on its own connection (what another scheduler or an operator would do).
  std::string sql(const std::string& text) {
    PGconn* conn = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(conn, text.c_str());
    std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0
                          ? PQgetvalue(r, 0, 0)
                          : std::string(PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(conn);
    return out;
  }
  std::string url_;
};

StoreBatch tasks(uint64_t gen, std::vector<Row> rows, std::vector<std::string> deleted = {}) {
  StoreBatch b;
  b.generation = gen;
  b.tasks = std::move(rows);
  b.deleted_tasks = std::move(deleted);
  return b;
}

TEST_F(PgStoreTest, AppliesBatchesInOrderAndLoadsThemBack) {
  auto s = open();
  ASSERT_NE(s, nullptr);
  StoreBatch b1 = tasks(1, {{"t1", "{\"a\":1}"}, {"t2", "{\"a\":2}"}, {"t3", "{}"}});
  b1.configs = {{"c1", "{}"}};
  b1.jobs = {{"r/prod/j", "{\"quote\":\"\\\"\\\\\\n\"}"}};
  b1.agents = {{"ag", "{}"}};
  b1.cron_jobs = {{"r/prod/a", "{\"n\":1}"}, {"r/prod/b", "{\"n\":2}"}};
  // The same keys again in a later batch of the same call: the last operation wins.
  StoreBatch b2 = tasks(2, {{"t1", "{\"a\":3}"}, {"t3", "{\"back\":1}"}}, {"t2", "t3"});
  b2.deleted_cron_jobs = {"r/prod/b"};
  StoreBatch b3 = tasks(3, {}, {"t1"});
  b3.tasks = {{"t1", "{\"a\":4}"}};
  ASSERT_TRUE(s->apply({&b1, &b2, &b3}).ok());
  StoreBatch b4 = tasks(4, {}, {"r/none"});
  ASSERT_TRUE(s->apply({&b4}).ok());  // deleting a missing key is not an error

  auto reopened = open();
  auto state = reopened->load();
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  std::sort(state->tasks.begin(), state->tasks.end());
  EXPECT_EQ(state->tasks, (std::vector<Row>{{"t1", "{\"a\":4}"}, {"t3", "{\"back\":1}"}}));
  EXPECT_EQ(state->configs, (std::vector<Row>{{"c1", "{}"}}));
  EXPECT_EQ(state->jobs, b1.jobs);
  EXPECT_EQ(state->agents.size(), 1u);
  EXPECT_EQ(state->cron_jobs, (std::vector<Row>{{"r/prod/a", "{\"n\":1}"}}));
  EXPECT_EQ(reopened->describe(), url_);
}

TEST_F(PgStoreTest, BigBatchesAreSplitIntoStatements) {
  auto s = open();
  ASSERT_NE(s, nullptr);
  StoreBatch b;
  for (int i = 0; i < 12345; ++i)
    b.tasks.emplace_back("task-" + std::to_string(i), std::string(300, 'x'));
  ASSERT_TRUE(s->apply({&b}).ok());
  StoreBatch d;
  for (int i = 0; i < 12345; i += 2) d.deleted_tasks.push_back("task-" + std::to_string(i));
  ASSERT_TRUE(s->apply({&d}).ok());
  EXPECT_EQ(s->load()->tasks.size(), 6172u);
}

TEST_F(PgStoreTest, NewerSchemaVersionIsRefused) {
  ASSERT_NE(open(), nullptr);
  sql("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  auto s = PgStore::open(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("has schema version 2; this scheduler reads version 1"),
            std::string::npos)
      << s.status().message();
}

TEST_F(PgStoreTest, ErrorsNameTheServerButNotThePassword) {
  // Nothing listens on the last port of the range while the server has the first.
  auto s = PgStore::open("postgresql://u:hunter2@127.0.0.1:9099/db");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("postgresql://u@127.0.0.1:9099/db"), std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("hunter2"), std::string::npos);
}

TEST_F(PgStoreTest, OldLeaderIsFencedAndWritesNothing) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  auto ea = a->claim_epoch();
  ASSERT_TRUE(ea.ok()) << ea.status().to_string();
  StoreBatch first = tasks(1, {{"from-a", "{}"}});
  ASSERT_TRUE(a->apply({&first}).ok());
  auto eb = b->claim_epoch();
  ASSERT_TRUE(eb.ok());
  EXPECT_EQ(*eb, *ea + 1);

  StoreBatch late = tasks(2, {{"late-a", "{}"}}, {"from-a"});
  Status refused = a->apply({&late});
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("fenced: leadership epoch 1 was superseded by 2"),
            std::string::npos)
      << refused.message();
  StoreBatch from_b = tasks(3, {{"from-b", "{}"}});
  ASSERT_TRUE(b->apply({&from_b}).ok());
  auto state = b->load();
  std::sort(state->tasks.begin(), state->tasks.end());
  EXPECT_EQ(state->tasks, (std::vector<Row>{{"from-a", "{}"}, {"from-b", "{}"}}));
}

// A claim in progress (its UPDATE of the epoch not yet committed) makes the old leader's
// apply wait for it, and then refuse: the write cannot slip in between.
TEST_F(PgStoreTest, ApplyWaitingOnAClaimInProgressIsFenced) {
  auto a = open();
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->claim_epoch().ok());
  PGconn* claimer = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(claimer), CONNECTION_OK);
  PQclear(PQexec(claimer, "BEGIN"));
  PGresult* r = PQexec(claimer,
                       "UPDATE meta SET value = (value::bigint + 1)::text "
                       "WHERE key = 'leader_epoch'");
  ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK);
  PQclear(r);
  std::atomic<bool> returned = false;
  Status result;
  std::thread writer([&] {
    StoreBatch b = tasks(1, {{"racing", "{}"}});
    result = a->apply({&b});
    returned = true;
  });
  // The apply is blocked on the row lock: still running well after a round trip.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(returned.load());
  PQclear(PQexec(claimer, "COMMIT"));
  writer.join();
  PQfinish(claimer);
  EXPECT_EQ(result.code(), StatusCode::kFailedPrecondition) << result.to_string();
  EXPECT_EQ(sql("SELECT count(*) FROM tasks"), "0");
}

// The old leader writes in a loop while the new one claims: every write it was told
// succeeded is stored, none it was refused is, and once refused it stays refused.
TEST_F(PgStoreTest, WritesRacingAClaimAreEitherStoredOrRefused) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->claim_epoch().ok());
  std::atomic<int> applied = 0;
  std::atomic<bool> writer_ended = false;
  std::vector<std::string> stored_ids;  // the writer's until it ended
  std::string failure;
  std::thread writer([&] {
    struct Ended {
      std::atomic<bool>& flag;
      ~Ended() { flag = true; }
    } ended{writer_ended};
    bool fenced = false;
    for (int i = 0; i < 100000 && failure.empty(); ++i) {
      std::string id = "a-" + std::to_string(i);
      StoreBatch batch = tasks(static_cast<uint64_t>(i + 1), {{id, "{}"}});
      Status st = a->apply({&batch});
      if (st.ok()) {
        if (fenced) failure = "a write succeeded after a fenced one: " + id;
        stored_ids.push_back(id);
        ++applied;
      } else if (st.code() == StatusCode::kFailedPrecondition) {
        fenced = true;
        if (static_cast<size_t>(i) > stored_ids.size() + 20)
          break;  // refused well past the claim: done
      } else {
        failure = st.to_string();
      }
    }
  });
  while (applied < 20 && !writer_ended) std::this_thread::yield();
  auto claimed = b->claim_epoch();
  writer.join();
  ASSERT_TRUE(claimed.ok());
  ASSERT_TRUE(failure.empty()) << failure;
  auto state = b->load();
  std::vector<std::string> ids;
  for (const auto& [id, _] : state->tasks) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  std::sort(stored_ids.begin(), stored_ids.end());
  EXPECT_EQ(ids, stored_ids);
  EXPECT_GE(stored_ids.size(), 20u);
}

TEST_F(PgStoreTest, SurvivesARestartUnderLoadWithoutLosingABatch) {
  auto s = open(std::chrono::seconds(30));
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->claim_epoch().ok());
  std::atomic<int> applied = 0;
  std::atomic<bool> restarted = false;
  std::atomic<bool> writer_ended = false;
  std::string failure;  // the writer's until it ended
  int total = 0;
  std::thread writer([&] {
    struct Ended {
      std::atomic<bool>& flag;
      ~Ended() { flag = true; }
    } ended{writer_ended};
    int after_restart = 0;
    for (int i = 0; after_restart < 30 && i < 100000; ++i) {
      if (restarted) ++after_restart;
      StoreBatch b = tasks(static_cast<uint64_t>(i + 1), {});
      for (int r = 0; r < 50; ++r)
        b.tasks.emplace_back("t-" + std::to_string(i) + "-" + std::to_string(r), "{\"n\":1}");
      Status st = s->apply({&b});
      if (!st.ok()) {
        failure = "batch " + std::to_string(i) + ": " + st.to_string();
        return;
      }
      ++applied;
      total = i + 1;
    }
  });
  while (applied < 20 && !writer_ended) std::this_thread::yield();
  int before = applied;
  Status restart = server->restart();
  restarted = true;
  writer.join();
  ASSERT_TRUE(restart.ok()) << restart.to_string();
  ASSERT_TRUE(failure.empty()) << failure << "\n" << server->log_tail();
  EXPECT_GT(total, before);
  auto state = s->load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->tasks.size(), static_cast<size_t>(total) * 50);
}

TEST_F(PgStoreTest, FailsNamingTheServerAfterTheRetryWindow) {
  auto s = open(std::chrono::milliseconds(700));
  ASSERT_NE(s, nullptr);
  server->stop(PostgresServer::StopMode::kFast);
  StoreBatch b = tasks(1, {{"t", "{}"}});
  auto began = std::chrono::steady_clock::now();
  Status st = s->apply({&b});
  auto took = std::chrono::steady_clock::now() - began;
  Status back = server->start_again();
  ASSERT_TRUE(back.ok()) << back.to_string();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.to_string();
  EXPECT_NE(st.message().find("127.0.0.1:" + std::to_string(server->port())), std::string::npos)
      << st.message();
  EXPECT_GE(took, std::chrono::milliseconds(700));
  EXPECT_LT(took, std::chrono::seconds(10));
  // And the handle works again once the server is back.
  EXPECT_TRUE(s->apply({&b}).ok());
}

// A backup of one database restored into another with other rows: exactly the backup's
// rows remain, replaced in one transaction.
TEST_F(PgStoreTest, BackupRestoresIntoAnotherDatabase) {
  auto source = open();
  ASSERT_NE(source, nullptr);
  StoreBatch b = tasks(1, {{"t1", "{\"a\":1}"}, {"t2", "{\"a\":2}"}});
  b.agents = {{"agent-1", "{}"}};
  b.jobs = {{"www-data/prod/web", "{}"}};
  ASSERT_TRUE(source->apply({&b}).ok());
  borealis::testing::TempDir dir{"borealis-pg-backup"};
  auto info = write_backup(Env::posix(), dir.path(), *source->load(), 1764158400000);
  ASSERT_TRUE(info.ok()) << info.status().to_string();

  auto other_url = server->create_database("backup_target");
  ASSERT_TRUE(other_url.ok());
  auto target = PgStore::open(*other_url);
  ASSERT_TRUE(target.ok());
  ASSERT_TRUE((*target)->claim_epoch().ok());
  StoreBatch stale = tasks(1, {{"stale", "{}"}});
  stale.agents = {{"stale-agent", "{}"}};
  ASSERT_TRUE((*target)->apply({&stale}).ok());
  auto backup = read_backup(Env::posix(), dir.path(), info->name);
  ASSERT_TRUE(backup.ok()) << backup.status().to_string();
  ASSERT_TRUE((*target)->replace_all(*backup).ok());
  auto got = (*target)->load();
  ASSERT_TRUE(got.ok());
  std::sort(got->tasks.begin(), got->tasks.end());
  EXPECT_EQ(got->tasks, b.tasks);
  EXPECT_EQ(got->agents, b.agents);
  EXPECT_EQ(got->jobs, b.jobs);
}

// What applying `batches` one after another (deletes, then puts, per batch) leaves in the
// tasks and jobs tables: the model a group's single transaction must match.
std::map<std::string, std::string> applied_in_order(const std::vector<StoreBatch>& batches,
                                                    bool jobs) {
  std::map<std::string, std::string> rows;
  for (const StoreBatch& b : batches) {
    for (const auto& id : jobs ? b.deleted_jobs : b.deleted_tasks) rows.erase(id);
    for (const auto& [id, data] : jobs ? b.jobs : b.tasks) rows[id] = data;
  }
  return rows;
}

std::map<std::string, std::string> as_map(const std::vector<Row>& rows) {
  return {rows.begin(), rows.end()};
}

// One apply() of several batches whose tables each take several statements (over 5,000
// rows), with keys written, deleted and written again across and within the batches: the
// store ends as applying them in order says.
TEST_F(PgStoreTest, LargeGroupWithRepeatedKeysAndDeletesEndsAsAppliedInOrder) {
  auto s = open();
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->claim_epoch().ok());
  std::vector<StoreBatch> batches(4);
  batches[0] = tasks(1, {});
  for (int i = 0; i < 8000; ++i) batches[0].tasks.emplace_back("t-" + std::to_string(i), "{}");
  ASSERT_TRUE(s->apply({&batches[0]}).ok());  // rows the group updates and deletes
  for (int g = 1; g < 4; ++g) {
    StoreBatch& b = batches[g];
    b.generation = static_cast<uint64_t>(g + 1);
    for (int i = g; i < 14000; i += 3) b.deleted_tasks.push_back("t-" + std::to_string(i));
    for (int i = g * 2000; i < g * 2000 + 7000; ++i)
      b.tasks.emplace_back("t-" + std::to_string(i), "{\"g\":" + std::to_string(g) + "}");
    for (int i = 0; i < 6000; i += g) {
      b.deleted_jobs.push_back("j-" + std::to_string(i + 1));
      b.jobs.emplace_back("j-" + std::to_string(i), "{\"g\":" + std::to_string(g) + "}");
    }
  }
  std::vector<const StoreBatch*> group;
  for (int g = 1; g < 4; ++g) group.push_back(&batches[g]);
  Status st = s->apply(group);
  ASSERT_TRUE(st.ok()) << st.to_string();

  auto state = open()->load();
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  const auto want_tasks = applied_in_order(batches, /*jobs=*/false);
  const auto want_jobs = applied_in_order(batches, /*jobs=*/true);
  EXPECT_EQ(state->tasks.size(), want_tasks.size());
  EXPECT_TRUE(as_map(state->tasks) == want_tasks);
  EXPECT_EQ(state->jobs.size(), want_jobs.size());
  EXPECT_TRUE(as_map(state->jobs) == want_jobs);
}

// A statement failing in the middle of a group (here a constraint an operator added) fails
// the apply at once, naming the table and PostgreSQL's reason; nothing of the group is
// stored, and the same handle writes the next group.
TEST_F(PgStoreTest, StatementFailingMidGroupStoresNothingAndTheHandleGoesOn) {
  auto s = open();
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->claim_epoch().ok());
  ASSERT_EQ(sql("ALTER TABLE cron_jobs ADD CONSTRAINT short_data CHECK (length(data) < 10); "
                "SELECT 'ok'"),
            "ok");
  StoreBatch b = tasks(1, {});
  for (int i = 0; i < 12000; ++i) b.tasks.emplace_back("t-" + std::to_string(i), "{}");
  b.cron_jobs = {{"r/prod/ok", "{}"}, {"r/prod/long", std::string(20, 'x')}};
  b.agents = {{"agent-1", "{}"}};
  Status st = s->apply({&b});
  EXPECT_EQ(st.code(), StatusCode::kIoError) << st.to_string();
  EXPECT_NE(st.message().find("writing cron_jobs"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("short_data"), std::string::npos) << st.message();
  EXPECT_EQ(sql("SELECT count(*) FROM tasks"), "0");
  EXPECT_EQ(sql("SELECT count(*) FROM agents"), "0");

  StoreBatch next = tasks(2, {{"after", "{}"}});
  next.cron_jobs = {{"r/prod/ok", "{}"}};
  st = s->apply({&next});
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(sql("SELECT count(*) FROM tasks"), "1");
  EXPECT_EQ(sql("SELECT count(*) FROM cron_jobs"), "1");
}

// A PostgreSQL restart while a group is half written (its pipeline waits on a row another
// session locked, after the group's first statements ran) loses that transaction; the
// group is written again whole on a new connection.
TEST_F(PgStoreTest, GroupInterruptedByARestartIsRetriedWhole) {
  auto s = open();
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->claim_epoch().ok());
  StoreBatch seed = tasks(1, {{"locked", "{\"v\":0}"}, {"gone", "{}"}});
  ASSERT_TRUE(s->apply({&seed}).ok());
  PGconn* holder = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "BEGIN"));
  PGresult* locked = PQexec(holder, "SELECT id FROM tasks WHERE id = 'locked' FOR UPDATE");
  ASSERT_EQ(PQresultStatus(locked), PGRES_TUPLES_OK);
  PQclear(locked);

  StoreBatch group = tasks(2, {}, {"gone"});
  for (int i = 0; i < 12000; ++i) group.tasks.emplace_back("t-" + std::to_string(i), "{}");
  group.tasks.emplace_back("locked", "{\"v\":1}");  // in the third statement of tasks
  group.jobs = {{"r/prod/j", "{}"}};
  group.agents = {{"agent-1", "{}"}};
  Status result;
  std::thread writer([&] { result = s->apply({&group}); });
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'borealis-scheduler' "
      "AND wait_event_type = 'Lock'";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (sql(waiting) != "1" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::string waited = sql(waiting);
  const std::string visible = sql("SELECT count(*) FROM tasks");
  Status restart = server->restart();
  writer.join();
  PQfinish(holder);
  ASSERT_EQ(waited, "1") << "the group never waited on the locked row";
  EXPECT_EQ(visible, "2");  // the seed only: nothing of a group shows before its COMMIT
  ASSERT_TRUE(restart.ok()) << restart.to_string();
  ASSERT_TRUE(result.ok()) << result.to_string() << "\n" << server->log_tail();
  auto state = s->load();
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  EXPECT_EQ(state->tasks.size(), 12001u);
  EXPECT_EQ(as_map(state->tasks)["locked"], "{\"v\":1}");
  EXPECT_EQ(as_map(state->tasks).count("gone"), 0u);
  EXPECT_EQ(state->jobs, group.jobs);
  EXPECT_EQ(state->agents, group.agents);
}

}  // namespace
}  // namespace borealis::scheduler

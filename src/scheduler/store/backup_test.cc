#include "scheduler/store/backup.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/files.h"
#include "scheduler/store/sqlite_store.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler {
namespace {

constexpr int64_t kNoon = 1764158400000;  // 2025-11-26T12:00:00.000Z

class BackupTest : public ::testing::Test {
 protected:
  StoredState sample() {
    StoredState s;
    s.configs = {{"c1", "{\"cmd\":\"echo \\\"hi\\\"\\n\"}"}};
    s.jobs = {{"www-data/prod/web", "{}"}};
    s.tasks = {{"t1", "{\"state\":\"RUNNING\"}"}, {"t2", std::string("{\"x\":\"\xc3\xa9\"}")}};
    s.agents = {{"agent-1", "{}"}};
    s.updates = {{"u1", "{}"}};
    s.cron_jobs = {{"www-data/prod/nightly", "{\"n\":1}"}};
    return s;
  }
  std::string write_sample(int64_t at = kNoon) {
    auto info = write_backup(env_, dir_.path() + "/backups", sample(), at);
    EXPECT_TRUE(info.ok()) << info.status().to_string();
    return info.ok() ? info->name : "";
  }
  std::string path(const std::string& name) { return dir_.path() + "/backups/" + name; }
  void rewrite(const std::string& name, const std::string& text) {
    std::ofstream(path(name), std::ios::binary | std::ios::trunc) << text;
  }

  Env& env_ = Env::posix();
  borealis::testing::TempDir dir_{"borealis-backup"};
};

TEST_F(BackupTest, RoundTripsEveryTableThroughSqlite) {
  auto source = SqliteStore::open(dir_ / "a.db");
  ASSERT_TRUE(source.ok());
  StoredState want = sample();
  ASSERT_TRUE((*source)->replace_all(want).ok());
  auto info = write_backup(env_, dir_ / "backups", *(*source)->load(), kNoon + 345);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->name, "backup-20251126T120000.345Z.jsonl");
  EXPECT_EQ(info->created_ms, kNoon + 345);

  // A store with other rows, every one of which the restore removes.
  auto target = SqliteStore::open(dir_ / "b.db");
  ASSERT_TRUE(target.ok());
  StoreBatch other;
  other.tasks = {{"stale", "{}"}};
  other.agents = {{"stale-agent", "{}"}};
  other.cron_jobs = {{"stale-cron", "{}"}};
  ASSERT_TRUE((*target)->apply({&other}).ok());
  auto read = read_backup(env_, dir_ / "backups", info->name);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_TRUE((*target)->replace_all(*read).ok());
  auto got = (*target)->load();
  ASSERT_TRUE(got.ok());
  std::sort(got->tasks.begin(), got->tasks.end());
  EXPECT_EQ(got->configs, want.configs);
  EXPECT_EQ(got->jobs, want.jobs);
  EXPECT_EQ(got->tasks, want.tasks);
  EXPECT_EQ(got->agents, want.agents);
  EXPECT_EQ(got->updates, want.updates);
  EXPECT_EQ(got->cron_jobs, want.cron_jobs);
}

TEST_F(BackupTest, ListsNewestFirstAndPrunesToKeep) {
  for (int i = 0; i < 4; ++i) write_sample(kNoon + i * 60000);
  std::ofstream(path("notes.txt")) << "not a backup";
  std::ofstream(path(".tmp-backup-interrupted")) << "half";
  auto list = list_backups(env_, dir_ / "backups");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].name, "backup-20251126T120300.000Z.jsonl");
  EXPECT_EQ((*list)[0].created_ms, kNoon + 180000);
  EXPECT_GT((*list)[0].size_bytes, 100u);
  ASSERT_TRUE(prune_backups(env_, dir_ / "backups", 2).ok());
  list = list_backups(env_, dir_ / "backups");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].name, "backup-20251126T120200.000Z.jsonl");
  EXPECT_TRUE(env_.exists(path("notes.txt")));
  EXPECT_FALSE(env_.exists(path(".tmp-backup-interrupted")));
  EXPECT_TRUE(list_backups(env_, dir_ / "none")->empty());
}

TEST_F(BackupTest, RefusesNamesThatAreNotPlainBackupFiles) {
  write_sample();
  for (const char* name :
       {"../backups/backup-20251126T120000.000Z.jsonl", "/etc/passwd", "backup-", "..",
        "backup-20251126T120000.000Z.jsonl/", "backup-2025112xT120000.000Z.jsonl",
        "backup-20251126T120000.000Z.jsonl.bak", "sub/backup-20251126T120000.000Z.jsonl"}) {
    auto r = read_backup(env_, dir_ / "backups", name);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(
      read_backup(env_, dir_ / "backups", "backup-20301126T120000.000Z.jsonl").status().code(),
      StatusCode::kNotFound);
}

TEST_F(BackupTest, RefusesTruncatedOrCorruptBackups) {
  std::string name = write_sample();
  auto whole = read_file(path(name));
  ASSERT_TRUE(whole.ok());
  const std::string good = *whole;
  auto refused = [&](const std::string& text, const std::string& why) {
    rewrite(name, text);
    auto r = read_backup(env_, dir_ / "backups", name);
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << why;
    EXPECT_NE(r.status().message().find("nothing was restored"), std::string::npos)
        << r.status().message();
    return std::string(r.status().message());
  };
  size_t last_line = good.rfind('\n', good.size() - 2) + 1;
  EXPECT_NE(refused(good.substr(0, last_line), "no end line").find("without its end line"),
            std::string::npos);
  refused(good.substr(0, good.size() / 2), "cut mid-row");
  refused(good.substr(0, good.size() - 1), "end line without newline");
  std::string flipped = good;
  flipped[good.find("RUNNING")] = 'X';
  EXPECT_NE(refused(flipped, "changed row").find("checksum"), std::string::npos);
  refused("borealis-backup 2\n" + good.substr(good.find('\n') + 1), "other version");
  std::string extra = good;
  extra.insert(last_line, "{\"table\":\"tasks\",\"id\":\"t9\",\"data\":\"{}\"}\n");
  EXPECT_NE(refused(extra, "added row").find("row count"), std::string::npos);
  std::string unknown = good;
  unknown.replace(unknown.find("\"table\":\"jobs\""), 14, "\"table\":\"evil\"");
  refused(unknown, "unknown table");
  refused(good + "trailing\n", "data after the end");
  rewrite(name, good);
  EXPECT_TRUE(read_backup(env_, dir_ / "backups", name).ok());
}

}  // namespace
}  // namespace borealis::scheduler

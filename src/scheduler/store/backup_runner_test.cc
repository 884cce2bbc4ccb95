#include "scheduler/store/backup_runner.h"

#include <gtest/gtest.h>

#include <future>

#include "scheduler/store/sqlite_store.h"
#include "testing/temp_dir.h"
#include "testing/wait_until.h"

namespace borealis::scheduler {
namespace {

using std::chrono::milliseconds;

class BackupRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_ / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
    StoreBatch first;
    first.jobs = {{"www-data/prod/web", "{\"v\":1}"}};
    first.tasks = {{"t1", "{\"state\":\"RUNNING\"}"}, {"t2", "{\"state\":\"PENDING\"}"}};
    ASSERT_TRUE(store_->apply({&first}).ok());
    committer_ = std::make_unique<GroupCommitter>(*store_, [](uint64_t, const Status&) {});
  }

  std::vector<std::string> names() {
    auto list = list_backups(Env::posix(), backups_);
    EXPECT_TRUE(list.ok()) << list.status().to_string();
    std::vector<std::string> out;
    if (list.ok())
      for (const BackupInfo& b : *list) out.push_back(b.name);
    return out;
  }

  // Runs `call` with a Done and waits for its answer.
  Result<BackupInfo> await(const std::function<void(BackupRunner::Done)>& call) {
    std::promise<Result<BackupInfo>> answer;
    call([&answer](Result<BackupInfo> r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }

  borealis::testing::TempDir dir_{"borealis-backup-runner"};
  std::string backups_ = dir_ / "backups";
  std::unique_ptr<Store> store_;
  std::unique_ptr<GroupCommitter> committer_;
};

TEST_F(BackupRunnerTest, TakesABackupEveryIntervalKeepsTheNewestAndStopsWithTheRunner) {
  std::string first;
  {
    BackupRunner runner(*store_, *committer_, {backups_, milliseconds(30), 2},
                        SystemClock::instance());
    ASSERT_TRUE(borealis::testing::wait_until([&] { return !names().empty(); }));
    first = names().back();
    // Two kept, and the first one pruned: at least three were taken.
    ASSERT_TRUE(borealis::testing::wait_until([&] {
      auto now = names();
      return now.size() == 2 && now.back() != first;
    })) << "backups: "
        << names().size();
  }
  auto kept = names();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_GT(kept[0], kept[1]);  // newest first
  auto state = read_backup(Env::posix(), backups_, kept[0]);
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  EXPECT_EQ(state->tasks.size(), 2u);
  // The runner is gone: no backup is taken any more.
  EXPECT_FALSE(borealis::testing::wait_until([&] { return names() != kept; }, milliseconds(150)));
}

TEST_F(BackupRunnerTest, NoIntervalMeansOnlyOnRequest) {
  BackupRunner runner(*store_, *committer_, {backups_, milliseconds(0), 24},
                      SystemClock::instance());
  EXPECT_FALSE(borealis::testing::wait_until([&] { return !names().empty(); }, milliseconds(100)));
  auto taken = await([&](BackupRunner::Done d) { runner.take(std::move(d)); });
  ASSERT_TRUE(taken.ok()) << taken.status().to_string();
  EXPECT_EQ(names(), std::vector<std::string>{taken->name});
}

TEST_F(BackupRunnerTest, RestoreReplacesEverythingWrittenSinceTheBackup) {
  BackupRunner runner(*store_, *committer_, {backups_, milliseconds(0), 24},
                      SystemClock::instance());
  auto taken = await([&](BackupRunner::Done d) { runner.take(std::move(d)); });
  ASSERT_TRUE(taken.ok()) << taken.status().to_string();
  StoreBatch later;
  later.tasks = {{"t3", "{}"}};
  later.deleted_tasks = {"t1"};
  committer_->submit(later);

  auto restored = await([&](BackupRunner::Done d) { runner.restore(taken->name, std::move(d)); });
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_EQ(restored->name, taken->name);
  EXPECT_GT(restored->size_bytes, 0u);
  auto now = store_->load();
  ASSERT_TRUE(now.ok());
  std::vector<std::string> ids;
  for (const auto& [id, data] : now->tasks) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"t1", "t2"}));
}

TEST_F(BackupRunnerTest, ARestoreThatCannotReadItsBackupTouchesNothing) {
  BackupRunner runner(*store_, *committer_, {backups_, milliseconds(0), 24},
                      SystemClock::instance());
  auto missing = await([&](BackupRunner::Done d) {
    runner.restore("backup-20301126T120000.000Z.jsonl", std::move(d));
  });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().to_string();
  auto escaping = await([&](BackupRunner::Done d) { runner.restore("../state.db", std::move(d)); });
  EXPECT_EQ(escaping.status().code(), StatusCode::kInvalidArgument);
  auto now = store_->load();
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->tasks.size(), 2u);
  EXPECT_EQ(now->jobs.size(), 1u);
}

}  // namespace
}  // namespace borealis::scheduler

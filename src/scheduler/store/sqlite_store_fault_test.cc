// The SQLite store on a failing disk, through FaultVfs (SQLite's I/O) and FaultEnv (the
// store's directory): a commit that hits ENOSPC or EIO reports it with the file named,
// leaves what was committed before intact across a reopen, and later commits succeed.
#include <gtest/gtest.h>

#include "common/fault_env.h"
#include "scheduler/store/fault_vfs.h"
#include "scheduler/store/sqlite_store.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler {
namespace {

class StoreFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_ / "state.db";
    vfs_.clear();
    open({.vfs = FaultVfs::kName});
  }
  void TearDown() override {
    vfs_.clear();
    store_.reset();
  }

  void open(const SqliteStoreOptions& options) {
    store_.reset();
    auto s = SqliteStore::open(path_, options);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(s).value();
  }

  // Commits tasks `from`..`to` (each row "task-N") in one transaction.
  Status commit(int from, int to, const std::string& payload = "{}") {
    StoreBatch b;
    b.generation = static_cast<uint64_t>(to);
    for (int i = from; i <= to; ++i) b.tasks.push_back({"task-" + std::to_string(i), payload});
    return store_->apply({&b});
  }

  // The task ids stored, read back by a fresh process's view (a reopen without faults).
  std::vector<std::string> stored_after_reopen() {
    open({});
    std::vector<std::string> ids;
    auto state = store_->load();
    EXPECT_TRUE(state.ok()) << state.status().to_string();
    if (state.ok())
      for (const auto& [id, data] : state->tasks) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static std::vector<std::string> ids(std::initializer_list<int> ns) {
    std::vector<std::string> out;
    for (int n : ns) out.push_back("task-" + std::to_string(n));
    std::sort(out.begin(), out.end());
    return out;
  }

  FaultVfs& vfs_ = FaultVfs::get();
  borealis::testing::TempDir dir_{"borealis-store-fault"};
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StoreFaultTest, DiskFullDuringACommitFailsItAndLaterCommitsSucceed) {
  ASSERT_TRUE(commit(1, 2).ok());
  vfs_.arm({.op = FaultOp::kWrite, .error = ENOSPC, .every = true});
  Status full = commit(3, 4);
  EXPECT_EQ(full.code(), StatusCode::kIoError);
  EXPECT_NE(full.message().find(path_), std::string::npos) << full.message();
  EXPECT_NE(full.message().find(
                "database or disk is full (SQLITE_FULL: no space left on device, ENOSPC)"),
            std::string::npos)
      << full.message();
  EXPECT_GT(vfs_.injected(), 0);
  // The failed transaction is not visible in this connection either.
  EXPECT_EQ(store_->load().value_or({}).tasks.size(), 2u);

  vfs_.clear();
  ASSERT_TRUE(commit(5, 5).ok());
  EXPECT_EQ(stored_after_reopen(), ids({1, 2, 5}));
}

TEST_F(StoreFaultTest, AFailedSyncDuringACommitIsReportedAsEio) {
  ASSERT_TRUE(commit(1, 2).ok());
  vfs_.arm({.op = FaultOp::kSync, .error = EIO});
  Status broken = commit(3, 4);
  EXPECT_EQ(broken.code(), StatusCode::kIoError);
  EXPECT_NE(broken.message().find(path_), std::string::npos) << broken.message();
  EXPECT_NE(broken.message().find("(SQLITE_IOERR_FSYNC in the journal: Input/output error (EIO))"),
            std::string::npos)
      << broken.message();

  vfs_.clear();
  ASSERT_TRUE(commit(5, 6).ok());
  EXPECT_EQ(stored_after_reopen(), ids({1, 2, 5, 6}));
}

TEST_F(StoreFaultTest, AnIoErrorPartWayThroughALargeCommitLeavesNoPartOfIt) {
  ASSERT_TRUE(commit(1, 1).ok());
  // Enough rows for many WAL frames; the fifth page write lands 100 bytes and fails.
  vfs_.arm(
      {.op = FaultOp::kWrite, .error = EIO, .nth = 5, .torn_after = 100, .path_contains = "-wal"});
  Status broken = commit(100, 400, std::string(200, 'x'));
  EXPECT_NE(broken.message().find("(SQLITE_IOERR_WRITE in the journal: Input/output error (EIO))"),
            std::string::npos)
      << broken.message();

  vfs_.clear();
  ASSERT_TRUE(commit(2, 2).ok());
  EXPECT_EQ(stored_after_reopen(), ids({1, 2}));
  ASSERT_TRUE(commit(3, 3).ok());  // and the reopened store takes writes
  EXPECT_EQ(stored_after_reopen(), ids({1, 2, 3}));
}

TEST_F(StoreFaultTest, TheStoreDirectoryIsCreatedThroughTheEnv) {
  store_.reset();
  FaultEnv env(Env::posix());
  env.arm({.op = FaultOp::kMakeDir, .error = ENOSPC, .path_contains = "/sub"});
  path_ = dir_ / "sub/state.db";
  auto refused = SqliteStore::open(path_, {.env = &env});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "cannot create directory " + (dir_ / "sub") + ": No space left on device (ENOSPC)");
  open({.env = &env});  // the fault was one-shot
  ASSERT_TRUE(commit(1, 1).ok());
  EXPECT_EQ(stored_after_reopen(), ids({1}));
}

}  // namespace
}  // namespace borealis::scheduler

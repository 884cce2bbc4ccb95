#include "common/env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "common/fault_env.h"
#include "common/mem_env.h"
#include "testing/temp_dir.h"

namespace borealis {
namespace {

// The same behaviour from the real file system and the in-memory one: each test runs
// against both, under a fresh root directory.
class EnvContractTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      tmp_.emplace("borealis-env");
      ASSERT_FALSE(tmp_->path().empty());
      root_ = tmp_->path();
      env_ = &Env::posix();
    } else {
      root_ = "/mem";
      env_ = &mem_;
      ASSERT_TRUE(mem_.make_dir(root_, 0755).ok());
    }
  }
  std::string at(const std::string& rel) const { return root_ + "/" + rel; }

  MemEnv mem_;
  Env* env_ = nullptr;
  std::string root_;
  std::optional<borealis::testing::TempDir> tmp_;  // the real file system's root
};

TEST_P(EnvContractTest, AppendsTruncatesAndReadsBack) {
  std::string path = at("log");
  {
    auto file = env_->open_writable(path, Env::WriteMode::kAppend);
    ASSERT_TRUE(file.ok()) << file.status().to_string();
    ASSERT_TRUE((*file)->append("one\n").ok());
    ASSERT_TRUE((*file)->append("two\n").ok());
    ASSERT_TRUE((*file)->sync().ok());
    EXPECT_EQ((*file)->path(), path);
  }
  {
    auto file = env_->open_writable(path, Env::WriteMode::kAppend);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->truncate(4).ok());
    ASSERT_TRUE((*file)->append("three\n").ok());
  }
  EXPECT_EQ(env_->read_file(path, 100).value_or("?"), "one\nthree\n");
  EXPECT_EQ(env_->stat(path).value_or({}).size, 10u);
  {
    auto file = env_->open_writable(path, Env::WriteMode::kTruncate);
    ASSERT_TRUE(file.ok());
  }
  EXPECT_EQ(env_->read_file(path, 100).value_or("?"), "");
}

TEST_P(EnvContractTest, ReadIsBoundedAndNamesMissingFiles) {
  ASSERT_TRUE(write_file_atomic(*env_, at("big"), std::string(100, 'x'), true).ok());
  auto big = env_->read_file(at("big"), 99);
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(big.status().message().find(at("big")), std::string::npos);
  EXPECT_EQ(env_->read_file(at("big"), 100).value_or("").size(), 100u);

  auto missing = env_->read_file(at("nope"), 10);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot open " + at("nope") + ": No such file or directory (ENOENT)");
  EXPECT_FALSE(env_->exists(at("nope")));
}

TEST_P(EnvContractTest, DirectoriesListRenameAndRemove) {
  ASSERT_TRUE(make_dirs(*env_, at("a/b/c")).ok());
  ASSERT_TRUE(make_dirs(*env_, at("a/b/c")).ok());  // already there is fine
  EXPECT_EQ(env_->make_dir(at("a"), 0755).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(env_->stat(at("a/b")).value_or({}).is_directory);
  ASSERT_TRUE(write_file_atomic(*env_, at("a/f1"), "1", false).ok());
  ASSERT_TRUE(write_file_atomic(*env_, at("a/f2"), "2", true).ok());
  EXPECT_EQ(env_->list_dir(at("a")).value_or({}), (std::vector<std::string>{"b", "f1", "f2"}));

  ASSERT_TRUE(env_->rename(at("a/f1"), at("a/f2")).ok());
  EXPECT_EQ(env_->read_file(at("a/f2"), 10).value_or(""), "1");
  EXPECT_FALSE(env_->exists(at("a/f1")));
  EXPECT_EQ(env_->remove(at("a/b")).code(), StatusCode::kIoError);  // not empty
  ASSERT_TRUE(env_->remove(at("a/b/c")).ok());
  ASSERT_TRUE(env_->remove(at("a/b")).ok());
  ASSERT_TRUE(env_->remove(at("a/f2")).ok());
  EXPECT_EQ(env_->list_dir(at("a")).value_or({"?"}), std::vector<std::string>{});
  ASSERT_TRUE(env_->sync_dir(at("a")).ok());

  ASSERT_TRUE(write_file_atomic(*env_, at("file"), "x", false).ok());
  Status under_file = make_dirs(*env_, at("file"));
  EXPECT_FALSE(under_file.ok());
  EXPECT_NE(under_file.message().find("not a directory"), std::string::npos);
}

TEST_P(EnvContractTest, ALockIsExclusiveUntilReleased) {
  auto first = env_->lock_file(at("lock"));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto second = env_->lock_file(at("lock"));
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  first->reset();
  EXPECT_TRUE(env_->lock_file(at("lock")).ok());
}

INSTANTIATE_TEST_SUITE_P(PosixAndMemory, EnvContractTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Posix" : "Memory"; });

TEST(MemEnvTest, APowerCutKeepsOnlyWhatWasSynced) {
  MemEnv env;
  auto file = env.open_writable("/log", Env::WriteMode::kAppend);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->append("durable\n").ok());
  ASSERT_TRUE((*file)->sync().ok());
  ASSERT_TRUE((*file)->append("volatile\n").ok());
  env.drop_unsynced();
  EXPECT_EQ(env.read_file("/log", 100).value_or(""), "durable\n");
  EXPECT_EQ(env.open_writable("/no/such/dir/f", Env::WriteMode::kAppend).status().code(),
            StatusCode::kNotFound);
}

TEST(FaultEnvTest, FailsTheNthWriteOnceWithARealLookingError) {
  MemEnv mem;
  FaultEnv env(mem);
  auto file = env.open_writable("/log", Env::WriteMode::kAppend);
  ASSERT_TRUE(file.ok());
  env.arm({.op = FaultOp::kWrite, .error = ENOSPC, .nth = 2});
  EXPECT_TRUE((*file)->append("a").ok());
  Status full = (*file)->append("b");
  EXPECT_EQ(full.code(), StatusCode::kIoError);
  EXPECT_EQ(full.message(), "cannot write /log: No space left on device (ENOSPC)");
  EXPECT_TRUE((*file)->append("c").ok());  // a one-shot fault
  EXPECT_EQ(mem.read_file("/log", 10).value_or(""), "ac");
  EXPECT_EQ(env.injected(), 1);
}

TEST(FaultEnvTest, EveryMatchingCallFailsUntilCleared) {
  MemEnv mem;
  FaultEnv env(mem);
  env.arm({.op = FaultOp::kSync, .error = EIO, .every = true, .path_contains = "wal"});
  auto wal = env.open_writable("/wal", Env::WriteMode::kAppend);
  auto other = env.open_writable("/other", Env::WriteMode::kAppend);
  ASSERT_TRUE(wal.ok() && other.ok());
  EXPECT_EQ((*wal)->sync().message(), "cannot sync /wal: Input/output error (EIO)");
  EXPECT_FALSE((*wal)->sync().ok());
  EXPECT_TRUE((*other)->sync().ok());  // another path
  env.clear();
  EXPECT_TRUE((*wal)->sync().ok());
  EXPECT_EQ(env.injected(), 2);
}

TEST(FaultEnvTest, ATornWriteLandsAPrefix) {
  MemEnv mem;
  FaultEnv env(mem);
  auto file = env.open_writable("/log", Env::WriteMode::kAppend);
  ASSERT_TRUE(file.ok());
  env.arm({.op = FaultOp::kWrite, .error = EIO, .torn_after = 3});
  EXPECT_FALSE((*file)->append("abcdef").ok());
  EXPECT_EQ(mem.read_file("/log", 10).value_or(""), "abc");
}

TEST(FaultEnvTest, FailsRenamesOpensAndDirectoryCalls) {
  MemEnv mem;
  FaultEnv env(mem);
  env.arm({.op = FaultOp::kRename, .error = EIO});
  Status renamed = write_file_atomic(env, "/state", "new", true);
  EXPECT_EQ(renamed.message(), "cannot rename /state.tmp to /state: Input/output error (EIO)");
  EXPECT_FALSE(mem.exists("/state.tmp"));  // the temporary file is cleaned up
  env.arm({.op = FaultOp::kOpen, .error = ENOSPC});
  EXPECT_FALSE(write_file_atomic(env, "/state", "new", true).ok());
  env.arm({.op = FaultOp::kMakeDir, .error = ENOSPC});
  EXPECT_EQ(make_dirs(env, "/d").message(),
            "cannot create directory /d: No space left on device (ENOSPC)");
  ASSERT_TRUE(write_file_atomic(env, "/state", "new", true).ok());
  EXPECT_EQ(mem.read_file("/state", 10).value_or(""), "new");
}

}  // namespace
}  // namespace borealis

// The checkpoint writer on a failing disk: ENOSPC and EIO while appending, torn records.
// The task keeps running, the failure is reported with the file named, the records
// written before stay readable, and once the disk recovers new records land whole.
#include <gtest/gtest.h>

#include "common/fault_env.h"
#include "common/mem_env.h"
#include "common/strings.h"
#include "runner/checkpoint.h"

namespace borealis::runner {
namespace {

constexpr char kPath[] = "/sandbox/.runner/checkpoint";

Record process(std::string name, std::string state) {
  Record r;
  r.type = Record::Type::kProcess;
  r.name = std::move(name);
  r.state = std::move(state);
  return r;
}

Record task(std::string state) {
  Record r;
  r.state = std::move(state);
  return r;
}

class CheckpointFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(make_dirs(disk_, "/sandbox/.runner").ok());
    auto writer = CheckpointWriter::open_exclusive(kPath, clock_, faulty_);
    ASSERT_TRUE(writer.ok()) << writer.status().to_string();
    writer_ = std::move(writer).value();
  }

  // The names of the process records the runner's reader returns.
  std::vector<std::string> names() {
    auto records = read_checkpoint(kPath, disk_);
    EXPECT_TRUE(records.ok()) << records.status().to_string();
    std::vector<std::string> out;
    if (records.ok())
      for (const auto& r : *records) out.push_back(r.name.empty() ? r.state : r.name);
    return out;
  }

  // The line the writer makes of `r`.
  std::string line_of(Record r) const {
    r.ts = clock_.now_ms();
    return taskcontract::format_record(r);
  }

  FakeClock clock_;
  MemEnv disk_;
  FaultEnv faulty_{disk_};
  std::unique_ptr<CheckpointWriter> writer_;
};

TEST_F(CheckpointFaultTest, DiskFullIsReportedAndLaterRecordsLandWhole) {
  writer_->write(process("a", "RUNNING"));
  faulty_.arm({.op = FaultOp::kWrite, .error = ENOSPC});
  writer_->write(process("b", "RUNNING"));
  EXPECT_EQ(writer_->last_error().message(),
            std::string("cannot write ") + kPath + ": No space left on device (ENOSPC)");
  EXPECT_EQ(names(), std::vector<std::string>{"a"});  // what was there is intact

  writer_->write(process("c", "RUNNING"));
  EXPECT_TRUE(writer_->last_error().ok());
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "c"}));
}

TEST_F(CheckpointFaultTest, AFailedSyncOfTheTerminalRecordIsReported) {
  writer_->write(process("a", "SUCCESS"));
  faulty_.arm({.op = FaultOp::kSync, .error = EIO});
  writer_->write(task("SUCCESS"));
  EXPECT_EQ(writer_->last_error().message(),
            std::string("cannot sync ") + kPath + ": Input/output error (EIO)");

  // A runner that goes on writes and syncs again; everything up to that sync survives a
  // power cut.
  writer_->write(task("SUCCESS"));
  EXPECT_TRUE(writer_->last_error().ok());
  disk_.drop_unsynced();
  EXPECT_EQ(names(), (std::vector<std::string>{"a", "SUCCESS", "SUCCESS"}));
}

TEST_F(CheckpointFaultTest, ATornRecordBecomesABadLineThatIsNeverMisparsed) {
  writer_->write(process("a", "RUNNING"));
  faulty_.arm({.op = FaultOp::kWrite, .error = EIO, .torn_after = 20});
  writer_->write(process("b", "RUNNING"));
  EXPECT_EQ(writer_->last_error().message(),
            std::string("cannot write ") + kPath + ": Input/output error (EIO)");
  // Until the next record the fragment is a last line without newline: ignored.
  EXPECT_EQ(names(), std::vector<std::string>{"a"});

  writer_->write(process("c", "RUNNING"));
  ASSERT_TRUE(writer_->last_error().ok());
  // The fragment is ended as its own line, so "c" is not glued to it: the runner's
  // reader reports the bad line by number, and each other line parses on its own (the
  // agent's reader skips bad lines).
  std::string text = disk_.read_file(kPath, 1 << 20).value_or("");
  auto whole = taskcontract::parse_checkpoint(text);
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.status().message().substr(0, 8), "line 2: ");
  auto lines = split(text, '\n');
  ASSERT_EQ(lines.size(), 4u);  // a, the fragment, c, and "" after the last newline
  EXPECT_EQ(taskcontract::parse_record(lines[0]).value_or({}).name, "a");
  EXPECT_FALSE(taskcontract::parse_record(lines[1]).ok());
  EXPECT_EQ(lines[1], line_of(process("b", "RUNNING")).substr(0, 20));
  EXPECT_EQ(taskcontract::parse_record(lines[2]).value_or({}).name, "c");
}

TEST_F(CheckpointFaultTest, AWriteThatLandedWholeDespiteTheErrorAddsNoEmptyLine) {
  std::string line = line_of(process("b", "RUNNING"));
  faulty_.arm({.op = FaultOp::kWrite, .error = EIO, .torn_after = line.size()});
  writer_->write(process("b", "RUNNING"));
  EXPECT_FALSE(writer_->last_error().ok());
  writer_->write(process("c", "RUNNING"));
  EXPECT_EQ(names(), (std::vector<std::string>{"b", "c"}));
}

TEST_F(CheckpointFaultTest, ATornLastRecordFromACrashIsSkipped) {
  writer_->write(process("a", "RUNNING"));
  faulty_.arm({.op = FaultOp::kWrite, .error = EIO, .torn_after = 30});
  writer_->write(task("FAILED"));  // the runner dies right after
  writer_.reset();
  EXPECT_EQ(names(), std::vector<std::string>{"a"});
  // The sandbox is not reused by another runner: the checkpoint is not empty.
  faulty_.clear();
  auto again = CheckpointWriter::open_exclusive(kPath, clock_, faulty_);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace borealis::runner

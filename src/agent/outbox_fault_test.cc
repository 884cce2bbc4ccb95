// The outbox on a failing disk: ENOSPC, EIO and torn writes while appending. Each test
// checks the error names the failure and the file, that nothing acknowledged (returned
// OK) is lost or duplicated across a power cut and a reopen, and that the outbox works
// again once the fault clears.
#include <gtest/gtest.h>

#include "agent/outbox.h"
#include "common/fault_env.h"
#include "common/json.h"
#include "common/mem_env.h"
#include "common/strings.h"

namespace borealis::agent {
namespace {

constexpr char kDir[] = "/work/updates";
constexpr char kLog[] = "/work/updates/log";

StatusUpdate update(int64_t seq, TaskState state = TaskState::kRunning) {
  return StatusUpdate{seq, "task-" + std::to_string(seq % 3), state, 1000 + seq, "", {}};
}

std::vector<StatusUpdate> updates(int64_t from, int64_t to) {
  std::vector<StatusUpdate> out;
  for (int64_t s = from; s <= to; ++s) out.push_back(update(s));
  return out;
}

std::vector<int64_t> seqs(const std::vector<StatusUpdate>& us) {
  std::vector<int64_t> out;
  for (const auto& u : us) out.push_back(u.seq);
  return out;
}

std::vector<int64_t> range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t s = from; s <= to; ++s) out.push_back(s);
  return out;
}

class OutboxFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    box_.reset();
    auto box = Outbox::open(kDir, {}, faulty_);
    ASSERT_TRUE(box.ok()) << box.status().to_string();
    box_ = std::move(box).value();
  }

  // A power cut and a restart: only synced bytes survive.
  void crash_and_reopen() {
    box_.reset();
    disk_.drop_unsynced();
    open();
  }

  // The seqs of the update lines in the log, in file order; fails on a line that is not
  // a whole update (a fragment or two lines glued together).
  std::vector<int64_t> log_seqs() {
    std::vector<int64_t> out;
    std::string text = disk_.read_file(kLog, 1 << 20).value_or("");
    EXPECT_TRUE(text.empty() || text.back() == '\n') << "log ends in a fragment: " << text;
    for (const auto& line : split(text, '\n')) {
      if (line.empty()) continue;
      auto u = parse_json(line).ok() ? update_from_json(*parse_json(line))
                                     : Result<StatusUpdate>(invalid_argument(line));
      EXPECT_TRUE(u.ok()) << "bad line in the log: " << line;
      if (u.ok()) out.push_back(u->seq);
    }
    return out;
  }

  // Seqs 1 and 2 stored, then a write of seq 3 torn by ENOSPC whose clean-up fails too,
  // leaving a fragment at the end of the log; then the disk recovers.
  void leave_a_torn_tail() {
    ASSERT_TRUE(box_->append(updates(1, 2)).ok());
    faulty_.arm({.op = FaultOp::kWrite, .error = ENOSPC, .torn_after = 12});
    faulty_.arm({.op = FaultOp::kTruncate, .error = EIO});
    EXPECT_FALSE(box_->append(updates(3, 3)).ok());
    EXPECT_NE(disk_.read_file(kLog, 1 << 20).value_or("").back(), '\n');
    faulty_.clear();
  }

  MemEnv disk_;
  FaultEnv faulty_{disk_};
  std::unique_ptr<Outbox> box_;
};

TEST_F(OutboxFaultTest, DiskFullFailsTheBatchAndKeepsWhatWasThere) {
  ASSERT_TRUE(box_->append(updates(1, 2)).ok());
  faulty_.arm({.op = FaultOp::kWrite, .error = ENOSPC, .every = true});

  Status full = box_->append(updates(3, 4));
  EXPECT_EQ(full.code(), StatusCode::kIoError);
  EXPECT_EQ(full.message(),
            std::string("cannot write ") + kLog + ": No space left on device (ENOSPC)");
  EXPECT_FALSE(box_->append(updates(3, 4)).ok());  // still full
  EXPECT_EQ(box_->last_seq(), 2);
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 2));

  faulty_.clear();
  ASSERT_TRUE(box_->append(updates(3, 4)).ok());  // the sender's retry
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 4));
  ASSERT_TRUE(box_->ack(1).ok());

  crash_and_reopen();
  EXPECT_EQ(log_seqs(), range(1, 4));
  // The acked pointer is not synced: the power cut lost it, so seq 1 is sent again.
  EXPECT_EQ(box_->acked_seq(), 0);
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 4));
  ASSERT_TRUE(box_->ack(1).ok());
  ASSERT_TRUE(box_->append(updates(5, 5)).ok());
  EXPECT_EQ(seqs(box_->pending(10)), range(2, 5));
}

TEST_F(OutboxFaultTest, AFailedSyncIsNotAcknowledgedAndLeavesNoCopyBehind) {
  ASSERT_TRUE(box_->append(updates(1, 2)).ok());
  faulty_.arm({.op = FaultOp::kSync, .error = EIO});

  Status broken = box_->append(updates(3, 3));
  EXPECT_EQ(broken.message(), std::string("cannot sync ") + kLog + ": Input/output error (EIO)");
  // The written but unsynced line is cut, so the retry does not add a second copy.
  EXPECT_EQ(log_seqs(), range(1, 2));
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 2));

  ASSERT_TRUE(box_->append(updates(3, 3)).ok());
  crash_and_reopen();
  EXPECT_EQ(log_seqs(), range(1, 3));
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 3));
  EXPECT_EQ(box_->last_seq(), 3);
}

TEST_F(OutboxFaultTest, ATornWriteIsCutBackToWholeLines) {
  ASSERT_TRUE(box_->append(updates(1, 2)).ok());
  // The first line of the batch and part of the second land, then the disk fails.
  std::string first_line = to_json(update_to_json(update(3))) + "\n";
  faulty_.arm({.op = FaultOp::kWrite, .error = EIO, .torn_after = first_line.size() + 7});

  EXPECT_EQ(box_->append(updates(3, 4)).message(),
            std::string("cannot write ") + kLog + ": Input/output error (EIO)");
  EXPECT_EQ(log_seqs(), range(1, 2));  // neither the whole line 3 nor the fragment of 4
  EXPECT_EQ(box_->last_seq(), 2);

  ASSERT_TRUE(box_->append(updates(3, 4)).ok());
  crash_and_reopen();
  EXPECT_EQ(log_seqs(), range(1, 4));
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 4));
}

TEST_F(OutboxFaultTest, ATornTailThatCannotBeCutIsRepairedBeforeTheNextWrite) {
  leave_a_torn_tail();
  ASSERT_TRUE(box_->append(updates(3, 3)).ok());  // cuts the fragment first, never glues
  crash_and_reopen();
  EXPECT_EQ(log_seqs(), range(1, 3));
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 3));
}

TEST_F(OutboxFaultTest, ACrashWithATornTailLosesOnlyTheUnacknowledgedBatch) {
  leave_a_torn_tail();

  // Even if the fragment had reached the disk, the replay drops it.
  box_.reset();
  open();
  EXPECT_EQ(seqs(box_->pending(10)), range(1, 2));
  EXPECT_EQ(box_->last_seq(), 2);
  ASSERT_TRUE(box_->append(updates(3, 3)).ok());
  crash_and_reopen();
  EXPECT_EQ(log_seqs(), range(1, 3));
}

TEST_F(OutboxFaultTest, AFailedCompactionKeepsTheOldLogInUse) {
  box_.reset();
  OutboxOptions options;
  options.compact_min_lines = 4;
  auto box = Outbox::open(kDir, options, faulty_);
  ASSERT_TRUE(box.ok());
  box_ = std::move(box).value();
  ASSERT_TRUE(box_->append(updates(1, 9)).ok());

  faulty_.arm({.op = FaultOp::kRename, .error = ENOSPC, .path_contains = "log"});
  Status st = box_->ack(8);  // due for compaction, whose rename fails
  EXPECT_EQ(st.message(), std::string("cannot rename ") + kLog + ".tmp to " + kLog +
                              ": No space left on device (ENOSPC)");
  EXPECT_EQ(box_->acked_seq(), 8);
  EXPECT_FALSE(disk_.exists(std::string(kLog) + ".tmp"));
  ASSERT_TRUE(box_->append(updates(10, 10)).ok());  // still appends to the live log
  EXPECT_EQ(log_seqs(), range(1, 10));

  ASSERT_TRUE(box_->compact().ok());
  ASSERT_TRUE(box_->append(updates(11, 11)).ok());  // to the new log
  EXPECT_EQ(seqs(box_->pending(10)), range(9, 11));
  crash_and_reopen();
  // Compacted to the latest of each task (8, 9, 10) and what came after; the unsynced
  // acked pointer was lost with the power cut, so 8 is sent once more.
  EXPECT_EQ(log_seqs(), range(8, 11));
  EXPECT_EQ(seqs(box_->pending(10)), range(8, 11));
  EXPECT_EQ(box_->latest().size(), 3u);
}

}  // namespace
}  // namespace borealis::agent

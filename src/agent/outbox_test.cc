#include "agent/outbox.h"

#include <gtest/gtest.h>

#include "agent/file_util.h"
#include "agent/test_util.h"
#include "common/strings.h"

namespace borealis::agent {
namespace {

using testing::append_text;
using testing::TempDir;

StatusUpdate update(int64_t seq, std::string task, TaskState state) {
  return StatusUpdate{seq, std::move(task), state, 1000 + seq, "", {100 + seq}};
}

std::vector<int64_t> seqs(const std::vector<StatusUpdate>& us) {
  std::vector<int64_t> out;
  for (const auto& u : us) out.push_back(u.seq);
  return out;
}

size_t lines_in(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return 0;
  size_t n = 0;
  for (char c : *text) n += c == '\n';
  return n;
}

TEST(OutboxTest, PendingInOrderUntilAckedAndAcrossReopen) {
  TempDir dir;
  {
    auto box = Outbox::open(dir.path());
    ASSERT_TRUE(box.ok()) << box.status().to_string();
    ASSERT_TRUE(
        (*box)
            ->append({update(1, "a", TaskState::kStarting), update(2, "b", TaskState::kStarting)})
            .ok());
    ASSERT_TRUE((*box)->append({update(3, "a", TaskState::kRunning)}).ok());
    EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{1, 2, 3}));
    EXPECT_EQ(seqs((*box)->pending(2)), (std::vector<int64_t>{1, 2}));
    ASSERT_TRUE((*box)->ack(2).ok());
    EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{3}));
    // An ack past what was written only acknowledges what exists.
    ASSERT_TRUE((*box)->ack(99).ok());
    EXPECT_EQ((*box)->acked_seq(), 3);
    ASSERT_TRUE((*box)->append({update(4, "b", TaskState::kFinished)}).ok());
  }
  auto box = Outbox::open(dir.path());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ((*box)->acked_seq(), 3);
  EXPECT_EQ((*box)->last_seq(), 4);
  EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{4}));
  ASSERT_EQ((*box)->latest().size(), 2u);
  EXPECT_EQ((*box)->latest().at("a").state, TaskState::kRunning);
  EXPECT_EQ((*box)->latest().at("b"), update(4, "b", TaskState::kFinished));
}

TEST(OutboxTest, ReplayAfterCrashMidWriteDropsTheCutLine) {
  TempDir dir;
  {
    auto box = Outbox::open(dir.path());
    ASSERT_TRUE(box.ok());
    ASSERT_TRUE(
        (*box)
            ->append({update(1, "a", TaskState::kStarting), update(2, "a", TaskState::kRunning)})
            .ok());
  }
  // A crash in the middle of writing seq 3.
  append_text(dir / "log", "{\"seq\":3,\"task_id\":\"a\",\"sta");
  {
    auto box = Outbox::open(dir.path());
    ASSERT_TRUE(box.ok()) << box.status().to_string();
    EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ((*box)->last_seq(), 2);
    // The next append starts on a fresh line, not glued to the fragment.
    ASSERT_TRUE((*box)->append({update(3, "a", TaskState::kFailed)}).ok());
  }
  auto box = Outbox::open(dir.path());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ((*box)->latest().at("a").state, TaskState::kFailed);
  EXPECT_EQ(lines_in(dir / "log"), 3u);
}

TEST(OutboxTest, CompactionKeepsUnackedAndLatestPerTask) {
  TempDir dir;
  OutboxOptions options;
  options.compact_min_lines = 10;
  {
    auto box = Outbox::open(dir.path(), options);
    ASSERT_TRUE(box.ok());
    int64_t seq = 0;
    for (int round = 0; round < 10; ++round) {
      std::vector<StatusUpdate> batch;
      for (const char* task : {"a", "b", "c"})
        batch.push_back(
            update(++seq, task, round == 0 ? TaskState::kStarting : TaskState::kRunning));
      ASSERT_TRUE((*box)->append(batch).ok());
    }
    ASSERT_EQ((*box)->log_lines(), 30u);
    ASSERT_TRUE((*box)->ack(27).ok());  // 28, 29, 30 stay pending
    // Kept: pending 28..30 (which are also the latest of a, b, c).
    EXPECT_EQ((*box)->log_lines(), 3u);
    EXPECT_EQ(lines_in(dir / "log"), 3u);
    EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{28, 29, 30}));
    ASSERT_TRUE((*box)->ack(30).ok());
    ASSERT_TRUE((*box)->append({update(31, "d", TaskState::kStarting)}).ok());
  }
  auto box = Outbox::open(dir.path(), options);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ((*box)->last_seq(), 31);
  EXPECT_EQ((*box)->acked_seq(), 30);
  EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{31}));
  ASSERT_EQ((*box)->latest().size(), 4u);
  EXPECT_EQ((*box)->latest().at("a").seq, 28);
  EXPECT_EQ((*box)->latest().at("c").seq, 30);
}

TEST(OutboxTest, ForgottenTasksLeaveLatestAndSurviveCompaction) {
  TempDir dir;
  OutboxOptions options;
  options.compact_min_lines = 4;
  {
    auto box = Outbox::open(dir.path(), options);
    ASSERT_TRUE(box.ok());
    ASSERT_TRUE(
        (*box)
            ->append({update(1, "a", TaskState::kFinished), update(2, "b", TaskState::kStarting)})
            .ok());
    ASSERT_TRUE((*box)->ack(2).ok());
    ASSERT_TRUE((*box)->forget({"a", "never-seen"}).ok());
    EXPECT_FALSE((*box)->latest().contains("a"));
  }
  {
    auto box = Outbox::open(dir.path(), options);
    ASSERT_TRUE(box.ok());
    EXPECT_FALSE((*box)->latest().contains("a"));
    EXPECT_TRUE((*box)->latest().contains("b"));
    for (int64_t s = 3; s <= 8; ++s)
      ASSERT_TRUE((*box)->append({update(s, "b", TaskState::kRunning)}).ok());
    ASSERT_TRUE((*box)->ack(8).ok());
    EXPECT_EQ((*box)->log_lines(), 1u);  // only b's latest
  }
  auto box = Outbox::open(dir.path(), options);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ((*box)->latest().size(), 1u);
  EXPECT_EQ((*box)->last_seq(), 8);
  EXPECT_FALSE((*box)->has_pending());
}

TEST(OutboxTest, SeqsContinueAfterTheAckedPointerWhenTheLogIsEmpty) {
  TempDir dir;
  testing::write_text(dir / "acked", "41\n");
  auto box = Outbox::open(dir.path());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ((*box)->last_seq(), 41);
  EXPECT_FALSE((*box)->has_pending());
}

TEST(OutboxTest, AnEmptyAckedPointerLeftByAPowerCutCountsAsLost) {
  TempDir dir;
  testing::write_text(dir / "log",
                      to_json(update_to_json(update(1, "a", TaskState::kRunning))) + "\n");
  testing::write_text(dir / "acked", "");
  auto box = Outbox::open(dir.path());
  ASSERT_TRUE(box.ok()) << box.status().to_string();
  EXPECT_EQ((*box)->acked_seq(), 0);
  EXPECT_EQ(seqs((*box)->pending(10)), (std::vector<int64_t>{1}));
}

TEST(OutboxTest, BadAckedPointerIsAnError) {
  TempDir dir;
  testing::write_text(dir / "acked", "forty\n");
  auto box = Outbox::open(dir.path());
  ASSERT_FALSE(box.ok());
  EXPECT_NE(box.status().message().find("acked"), std::string::npos);
}

TEST(OutboxTest, UpdateJsonRoundTripsAndNamesBadFields) {
  StatusUpdate u{7, "t", TaskState::kLost, 123, "why", {1, 2}};
  auto back = update_from_json(update_to_json(u));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, u);
  auto bad = update_from_json(*parse_json(R"({"seq":1,"task_id":"t","state":"NOPE"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("update.state"), std::string::npos);
}

}  // namespace
}  // namespace borealis::agent

// Checkpoint lines -> records -> reported states (the contract's mapping table).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "agent/checkpoint_reader.h"
#include "agent/task_progress.h"
#include "agent/test_util.h"

namespace borealis::agent {
namespace {

using testing::append_text;
using testing::TempDir;

CheckpointRecord rec(std::string_view line) {
  auto r = taskcontract::parse_record(line);
  EXPECT_TRUE(r.ok()) << line << ": " << r.status().to_string();
  return r.ok() ? *r : CheckpointRecord{};
}

constexpr char kRunner[] = R"({"ts":1,"type":"runner","pid":4242,"start_ticks":99})";
constexpr char kActive[] = R"({"ts":2,"type":"task","state":"ACTIVE"})";
constexpr char kProcRunning[] =
    R"({"ts":3,"type":"process","name":"hello","run":0,"state":"RUNNING","pid":4250})";

TEST(CheckpointTailTest, ReadsWholeLinesAndWaitsForTheRestOfAPartialOne) {
  TempDir dir;
  CheckpointTail tail(dir.path());
  auto none = tail.read_new();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(tail.seen_file());

  std::filesystem::create_directories(dir / ".runner");
  append_text(dir / ".runner/checkpoint",
              std::string(kRunner) + "\n" + R"({"ts":2,"type":"task",)");
  auto first = tail.read_new();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].type, CheckpointRecord::Type::kRunner);

  append_text(dir / ".runner/checkpoint", R"("state":"ACTIVE"})"
                                          "\nnot json\n" +
                                              std::string(kProcRunning) + "\n");
  auto second = tail.read_new();
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].state, "ACTIVE");
  EXPECT_EQ((*second)[1].pid, 4250);
  EXPECT_EQ(tail.bad_lines(), 1u);
  EXPECT_TRUE(tail.read_new()->empty());
}

TEST(CheckpointTailTest, AFifoOrALinkToADeviceIsAnErrorNotAHang) {
  TempDir dir;
  std::filesystem::create_directories(dir / ".runner");
  ASSERT_EQ(::mkfifo((dir / ".runner/checkpoint").c_str(), 0600), 0);
  CheckpointTail tail(dir.path());
  auto fifo = tail.read_new();  // with no writer, a blocking open would never return
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.status().message().find("a FIFO"), std::string::npos) << fifo.status().message();
  std::filesystem::remove(dir / ".runner/checkpoint");
  std::filesystem::create_symlink("/dev/zero", dir / ".runner/checkpoint");
  auto zero = tail.read_new();
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kPermissionDenied);
}

TEST(CheckpointTailTest, ReadsInBoundedPiecesAndSkipsOverlongLines) {
  TempDir dir;
  std::filesystem::create_directories(dir / ".runner");
  std::string overlong =
      "{\"x\":\"" + std::string(CheckpointTail::kMaxLineBytes + 10, 'a') + "\"}\n";
  std::string lines;
  while (lines.size() < static_cast<size_t>(CheckpointTail::kMaxReadBytes))
    lines += std::string(kActive) + "\n";
  append_text(dir / ".runner/checkpoint", std::string(kRunner) + "\n" + overlong + lines);
  CheckpointTail tail(dir.path());
  size_t records = 0;
  int reads = 0;
  do {
    auto got = tail.read_new();
    ASSERT_TRUE(got.ok());
    records += got->size();
    ++reads;
  } while (!tail.caught_up());
  EXPECT_GE(reads, 2);
  EXPECT_EQ(records, 1 + lines.size() / (std::string(kActive).size() + 1));
  EXPECT_EQ(tail.bad_lines(), 1u);
  EXPECT_EQ(tail.offset(),
            static_cast<int64_t>(std::string(kRunner).size() + 1 + overlong.size() + lines.size()));
}

// Folds lines and returns every state the progress reported, in order.
std::vector<TaskState> fold(TaskProgress& p, const std::vector<std::string>& lines) {
  std::vector<TaskState> out;
  for (const auto& l : lines)
    if (auto s = p.apply(rec(l))) out.push_back(*s);
  return out;
}

using S = TaskState;

TEST(TaskProgressTest, ShortTaskReadAtOnceStillReportsEveryStep) {
  TaskProgress p;
  auto states = fold(
      p, {kRunner, kActive, kProcRunning,
          R"({"ts":4,"type":"process","name":"hello","run":0,"state":"SUCCESS","exit_code":0})",
          R"({"ts":5,"type":"task","state":"CLEANING"})",
          R"({"ts":6,"type":"task","state":"FINALIZING"})",
          R"({"ts":7,"type":"task","state":"SUCCESS"})"});
  EXPECT_EQ(states, (std::vector<S>{S::kStarting, S::kRunning, S::kFinished}));
  EXPECT_TRUE(p.terminal());
  EXPECT_EQ(p.ended_ms(), 7);
  EXPECT_EQ(p.runner_pid(), 4242);
  EXPECT_EQ(p.runner_start_ticks(), 99);
  EXPECT_TRUE(p.running_pids().empty());
  EXPECT_EQ(p.process_groups(), (std::vector<int64_t>{4250}));
}

TEST(TaskProgressTest, ActiveWithoutARunningProcessIsStillStarting) {
  TaskProgress p;
  EXPECT_EQ(p.launched(), S::kStarting);
  EXPECT_EQ(fold(p, {kRunner, kActive,
                     R"({"ts":3,"type":"process","name":"hello","run":0,"state":"WAITING"})"}),
            std::vector<S>{});
  EXPECT_EQ(p.state(), S::kStarting);
  EXPECT_EQ(fold(p, {kProcRunning}), std::vector<S>{S::kRunning});
  EXPECT_EQ(p.running_pids(), (std::vector<int64_t>{4250}));
}

TEST(TaskProgressTest, TerminalStatesMapAndCarryTheMessage) {
  struct Case {
    const char* thermos;
    S expected;
  } cases[] = {{"SUCCESS", S::kFinished},
               {"FAILED", S::kFailed},
               {"KILLED", S::kKilled},
               {"LOST", S::kLost}};
  for (const auto& c : cases) {
    TaskProgress p;
    std::string end =
        std::string(R"({"ts":9,"type":"task","state":")") + c.thermos + R"(","message":"because"})";
    auto states = fold(p, {kRunner, kActive, kProcRunning, end});
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.back(), c.expected) << c.thermos;
    EXPECT_EQ(p.message(), "because");
    // Nothing after a terminal record changes anything.
    EXPECT_TRUE(fold(p, {kProcRunning, R"({"ts":10,"type":"task","state":"ACTIVE"})"}).empty());
    EXPECT_FALSE(p.runner_gone(false, "late", 11).has_value());
    EXPECT_EQ(p.state(), c.expected);
  }
}

TEST(TaskProgressTest, RunnerGoneWithoutTerminalRecordIsLostOrKilledWhenKilling) {
  TaskProgress lost;
  fold(lost, {kRunner, kActive, kProcRunning});
  EXPECT_EQ(lost.runner_gone(false, "runner died", 50), S::kLost);
  EXPECT_EQ(lost.message(), "runner died");
  EXPECT_EQ(lost.ended_ms(), 50);
  EXPECT_TRUE(lost.running_pids().empty());
  EXPECT_EQ(lost.process_groups(), (std::vector<int64_t>{4250}));  // still known, to kill

  TaskProgress killed;
  fold(killed, {kRunner});
  EXPECT_EQ(killed.runner_gone(true, "killed", 60), S::kKilled);
}

TEST(TaskProgressTest, TaskRecordWithoutRunnerRecordStillStarts) {
  TaskProgress p;
  EXPECT_EQ(fold(p, {kActive}), std::vector<S>{S::kStarting});
  EXPECT_FALSE(p.has_runner_record());
}

}  // namespace
}  // namespace borealis::agent

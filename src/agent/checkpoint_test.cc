// Checkpoint lines -> records -> reported states (the contract's mapping table).
#include <gtest/gtest.h>

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
  CheckpointTail tail(dir / "checkpoint");
  auto none = tail.read_new();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(tail.seen_file());

  append_text(dir / "checkpoint", std::string(kRunner) + "\n" + R"({"ts":2,"type":"task",)");
  auto first = tail.read_new();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].type, CheckpointRecord::Type::kRunner);

  append_text(dir / "checkpoint", R"("state":"ACTIVE"})"
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

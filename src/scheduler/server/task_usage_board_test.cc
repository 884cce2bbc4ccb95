// The usage board: the latest usage per task, and a bounded history of samples that grows
// only with new samples and goes with the task.
#include "scheduler/server/task_usage_board.h"

#include <gtest/gtest.h>

namespace borealis::scheduler {
namespace {

protocol::TaskReport report(const std::string& id, int64_t sampled_ms,
                            protocol::TaskState state = protocol::TaskState::kRunning) {
  protocol::TaskReport r;
  r.task_id = id;
  r.state = state;
  protocol::TaskUsage u;
  u.sampled_ms = sampled_ms;
  u.cpu_rate = static_cast<double>(sampled_ms) / 1000;
  u.memory_bytes = sampled_ms * 10;
  u.disk_bytes = 4096;
  r.usage = u;
  return r;
}

TEST(TaskUsageBoardTest, KeepsOneSamplePerAgentSampleUpToTheBound) {
  TaskUsageBoard board;
  board.reported("a1", {report("t1", 1000)});
  board.reported("a1", {report("t1", 1000)});  // a poll between two samples: no new point
  board.reported("a1", {report("t1", 2000)});
  auto h = board.history("a1", "t1");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], (api::TaskUsageSample{1000, 1.0, 10000, 4096}));
  EXPECT_EQ(h[1].sampled_ms, 2000);
  EXPECT_EQ(board.find("a1", "t1")->sampled_ms, 2000);

  for (int64_t i = 3; i < 3 + 2 * static_cast<int64_t>(api::kTaskUsageHistorySamples); ++i)
    board.reported("a1", {report("t1", i * 1000)});
  h = board.history("a1", "t1");
  ASSERT_EQ(h.size(), api::kTaskUsageHistorySamples);
  EXPECT_EQ(h.back().sampled_ms,
            (2 + 2 * static_cast<int64_t>(api::kTaskUsageHistorySamples)) * 1000);
  EXPECT_LT(h.front().sampled_ms, h.back().sampled_ms);
  EXPECT_TRUE(board.history("a2", "t1").empty());
  EXPECT_TRUE(board.history("a1", "t2").empty());
}

TEST(TaskUsageBoardTest, ATaskThatEndedOrIsNoLongerReportedLosesItsHistory) {
  TaskUsageBoard board;
  board.reported("a1", {report("t1", 1000), report("t2", 1000)});
  board.reported("a1", {report("t1", 2000), report("t2", 2000)});
  board.reported("a1", {report("t1", 3000, protocol::TaskState::kFinished)});
  EXPECT_TRUE(board.history("a1", "t1").empty());
  ASSERT_NE(board.find("a1", "t1"), nullptr) << "an ended task's last figures stay";
  EXPECT_EQ(board.find("a1", "t1")->sampled_ms, 3000);
  EXPECT_TRUE(board.history("a1", "t2").empty());
  EXPECT_EQ(board.find("a1", "t2"), nullptr);
  board.reported("a1", {});
  EXPECT_EQ(board.find("a1", "t1"), nullptr);
}

}  // namespace
}  // namespace borealis::scheduler

#include "scheduler/core/task_state.h"

#include <gtest/gtest.h>

namespace borealis::scheduler {
namespace {

TEST(TaskStateTest, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(TaskState::kPartitioned); ++i) {
    auto s = static_cast<TaskState>(i);
    EXPECT_EQ(parse_task_state(task_state_name(s)), s);
  }
  EXPECT_FALSE(parse_task_state("RUNNIN").has_value());
}

TEST(TaskStateTest, TerminalStatesGoNowhere) {
  for (TaskState t :
       {TaskState::kFinished, TaskState::kFailed, TaskState::kKilled, TaskState::kLost}) {
    EXPECT_TRUE(is_terminal(t));
    EXPECT_FALSE(is_legal_transition(t, TaskState::kRunning));
    EXPECT_FALSE(is_legal_transition(t, TaskState::kPending));
  }
}

TEST(TaskStateTest, LifecycleEdges) {
  EXPECT_TRUE(is_legal_transition(TaskState::kPending, TaskState::kAssigned));
  EXPECT_TRUE(is_legal_transition(TaskState::kAssigned, TaskState::kRunning));  // coalesced
  EXPECT_FALSE(is_legal_transition(TaskState::kRunning, TaskState::kStarting));
  EXPECT_FALSE(is_legal_transition(TaskState::kPending, TaskState::kRunning));
  EXPECT_TRUE(is_legal_transition(TaskState::kRunning, TaskState::kKilling));
  EXPECT_FALSE(is_legal_transition(TaskState::kKilling, TaskState::kRunning));
  EXPECT_TRUE(is_legal_transition(TaskState::kThrottled, TaskState::kPending));
  EXPECT_FALSE(is_legal_transition(TaskState::kRunning, TaskState::kRunning));
}

}  // namespace
}  // namespace borealis::scheduler

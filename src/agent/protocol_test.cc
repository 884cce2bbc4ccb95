// The agent protocol's messages are tested in src/protocol; these are the agent's uses of
// them: the task.json a launch becomes, and the order of task states.
#include <gtest/gtest.h>

#include "agent/launch_spec.h"
#include "agent/task_state.h"
#include "jobspec/job_spec_json.h"

namespace borealis::agent {
namespace {

TEST(LaunchSpecTest, TaskIdsMustBeSafeDirectoryNames) {
  EXPECT_TRUE(validate_task_id("www-data-prod-hello-0-1b4e28ba_x.y").ok());
  for (const char* bad : {"", ".", "..", "a/b", "a b", "../x"})
    EXPECT_FALSE(validate_task_id(bad).ok()) << bad;
  EXPECT_FALSE(validate_task_id(std::string(256, 'a')).ok());
}

TEST(LaunchSpecTest, TaskJsonFollowsTheContract) {
  auto job = jobspec::job_spec_from_json(*parse_json(R"({
    "name": "hello", "role": "www-data", "environment": "prod", "cluster": "devcluster",
    "task": {"name": "hello", "finalization_wait": 12,
             "processes": [{"name": "p", "cmdline": "echo {{thermos.ports[http]}}"}],
             "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576}}})"));
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  LaunchCommand launch{"t-1", 2, "c1", {{"http", 31005}}};
  json::value v = task_json(launch, *job, "agent-1", "www-data");
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("task_id"), "t-1");
  EXPECT_EQ(o.at("instance").as_int64(), 2);
  EXPECT_EQ(o.at("hostname"), "agent-1");
  EXPECT_EQ(o.at("cluster"), "devcluster");
  EXPECT_EQ(o.at("role"), "www-data");
  EXPECT_EQ(o.at("environment"), "prod");
  EXPECT_EQ(o.at("job"), "hello");
  EXPECT_EQ(o.at("user"), "www-data");
  EXPECT_EQ(o.at("ports").at("http").as_int64(), 31005);
  const auto& p = o.at("task").at("processes").at(0).as_object();
  EXPECT_EQ(p.at("max_failures").as_int64(), 1);  // defaults filled in
  EXPECT_EQ(p.at("min_duration").as_int64(), 5);
  EXPECT_EQ(finalization_wait_secs(v), 12);
  EXPECT_EQ(task_json(launch, *job, "agent-1", "").at("user"), "");
  EXPECT_EQ(finalization_wait_secs(json::value(1), 30), 30);
  EXPECT_FALSE(p.contains("logger"));  // Thermos's default: the runner writes plain files

  // The agent's --runner-logger-* default goes to processes without a Logger only.
  jobspec::Logger host{.destination = "both", .mode = "rotate", .rotate = {{4096, 2}}};
  json::value with_default = task_json(launch, *job, "agent-1", "", host);
  const auto& logger = with_default.at("task").at("processes").at(0).at("logger");
  EXPECT_EQ(logger.at("destination"), "both");
  EXPECT_EQ(logger.at("mode"), "rotate");
  EXPECT_EQ(logger.at("rotate").at("log_size").as_int64(), 4096);
  job->task.processes[0].logger = jobspec::Logger{.destination = "none"};
  EXPECT_EQ(task_json(launch, *job, "agent-1", "", host)
                .at("task")
                .at("processes")
                .at(0)
                .at("logger")
                .at("destination"),
            "none");
}

TEST(TaskStateTest, NamesAndRanks) {
  for (auto s : {TaskState::kStarting, TaskState::kRunning, TaskState::kFinished,
                 TaskState::kFailed, TaskState::kKilled, TaskState::kLost})
    EXPECT_EQ(parse_task_state(task_state_name(s)), s);
  EXPECT_FALSE(parse_task_state("KILLING").has_value());
  EXPECT_LT(state_rank(TaskState::kStarting), state_rank(TaskState::kRunning));
  EXPECT_LT(state_rank(TaskState::kRunning), state_rank(TaskState::kLost));
  EXPECT_TRUE(is_terminal(TaskState::kKilled));
  EXPECT_FALSE(is_terminal(TaskState::kRunning));
}

}  // namespace
}  // namespace borealis::agent

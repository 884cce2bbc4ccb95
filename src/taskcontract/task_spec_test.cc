#include "taskcontract/task_spec.h"

#include <gtest/gtest.h>

#include <string>

namespace borealis::taskcontract {
namespace {

TEST(TaskSpecTest, ParsesTaskJson) {
  auto spec = parse_launch_spec(R"({
    "task_id": "www-data-prod-hello-0-abc", "instance": 2, "hostname": "agent-1",
    "cluster": "devcluster", "role": "www-data", "environment": "prod", "job": "hello",
    "user": "www-data", "ports": {"http": 31000, "health": 31001},
    "some_future_field": {"x": 1},
    "task": {
      "name": "hello",
      "processes": [
        {"name": "install", "cmdline": "cp a b", "max_failures": 3, "daemon": false,
         "ephemeral": false, "min_duration": 0, "final": false, "logger": {}},
        {"name": "web", "cmdline": "run --port={{thermos.ports[http]}}", "daemon": true,
         "min_duration": 2.5},
        {"name": "upload", "cmdline": "up", "final": true, "ephemeral": true}
      ],
      "constraints": [{"order": ["install", "web"]}],
      "resources": {"cpu": 1.0, "ram": 134217728, "disk": 134217728},
      "max_failures": 2, "max_concurrency": 4, "finalization_wait": 45
    }
  })");
  ASSERT_TRUE(spec.ok()) << spec.status().to_string();
  EXPECT_EQ(spec->task_id, "www-data-prod-hello-0-abc");
  EXPECT_EQ(spec->instance, 2);
  EXPECT_EQ(spec->hostname, "agent-1");
  EXPECT_EQ(spec->user, "www-data");
  EXPECT_EQ(spec->ports.at("health"), 31001);
  const TaskSpec& t = spec->task;
  EXPECT_EQ(t.name, "hello");
  ASSERT_EQ(t.processes.size(), 3u);
  EXPECT_EQ(t.processes[0].max_failures, 3);
  EXPECT_EQ(t.processes[0].min_duration_ms, 0);
  EXPECT_TRUE(t.processes[1].daemon);
  EXPECT_EQ(t.processes[1].max_failures, 1);  // Aurora default
  EXPECT_EQ(t.processes[1].min_duration_ms, 2500);
  EXPECT_TRUE(t.processes[2].final);
  EXPECT_TRUE(t.processes[2].ephemeral);
  EXPECT_EQ(t.processes[2].min_duration_ms, 5000);  // Aurora default
  EXPECT_EQ(t.orders, (std::vector<std::vector<std::string>>{{"install", "web"}}));
  EXPECT_EQ(t.max_failures, 2);
  EXPECT_EQ(t.max_concurrency, 4);
  EXPECT_EQ(t.finalization_wait_ms, 45'000);
  EXPECT_TRUE(validate_task(t).ok());
}

std::string parse_error(const std::string& json) {
  auto spec = parse_launch_spec(json);
  return spec.ok() ? "ok" : spec.status().message();
}

TEST(TaskSpecTest, ErrorsNameTheField) {
  EXPECT_EQ(parse_error("[]"), "expected an object at the top level");
  EXPECT_EQ(parse_error(R"({"task": {"processes": []}})"), "task_id: is required");
  EXPECT_EQ(parse_error(R"({"task_id": "t"})"), "task: is required");
  EXPECT_EQ(parse_error(R"({"task_id": "t", "task": {}})"), "task.processes: is required");
  EXPECT_EQ(parse_error(R"({"task_id": "t", "task": {"processes": [{"name": "a"}]}})"),
            "task.processes[0].cmdline: is required");
  EXPECT_EQ(parse_error(
                R"({"task_id": "t", "task": {"processes": [{"name": "a", "cmdline": "x",
                    "max_failures": "3"}]}})"),
            "task.processes[0].max_failures: expected an integer, found a string");
  EXPECT_EQ(parse_error(
                R"({"task_id": "t", "task": {"processes": [{"name": "a", "cmdline": "x",
                    "min_duration": -1}]}})"),
            "task.processes[0].min_duration: expected 0 to 1e9 seconds");
  EXPECT_EQ(parse_error(R"({"task_id": "t", "ports": {"http": 70000}, "task": {"processes": []}})"),
            "ports.http: 70000 is out of range [0, 65535]");
  EXPECT_EQ(parse_error(R"({"task_id": "t", "task": {"processes": [], "constraints": [{"order":
                    [1]}]}})"),
            "task.constraints[0].order[0]: expected a string");
  EXPECT_EQ(parse_error(R"({"task_id": "t", "task": {"processes": [], "max_concurrency": 1.5}})"),
            "task.max_concurrency: expected an integer, found a number");
}

Status validate(const std::string& processes, const std::string& constraints = "[]") {
  auto spec = parse_launch_spec(R"({"task_id": "t", "task": {"processes": )" + processes +
                                R"(, "constraints": )" + constraints + "}}");
  if (!spec.ok()) return spec.status();
  return validate_task(spec->task);
}

// The rules themselves are tested in process_rules_test.cc; this shows the runner's
// parsed task goes through them with its field paths.
TEST(TaskSpecTest, ValidationRefusesWhatCouldNeverRun) {
  EXPECT_EQ(validate("[]").message(), "task.processes: a task needs at least one process");
  EXPECT_EQ(validate(R"([{"name": "a", "cmdline": "x"}, {"name": "a", "cmdline": "y"}])").message(),
            "task.processes[1].name: duplicate process name 'a'");
  EXPECT_EQ(validate(R"([{"name": "../etc", "cmdline": "x"}])").message(),
            "task.processes[0].name: process name '../etc' starts with '.'");

  const std::string ab = R"([{"name": "a", "cmdline": "x"}, {"name": "b", "cmdline": "y"}])";
  EXPECT_TRUE(validate(ab, R"([{"order": ["a", "b"]}])").ok());
  EXPECT_EQ(validate(ab, R"([{"order": ["a", "c"]}])").message(),
            "task.constraints[0].order[1]: names process 'c', which the task does not have");
  EXPECT_EQ(validate(ab, R"([{"order": ["a", "b"]}, {"order": ["b", "a"]}])").message(),
            "task.constraints: order constraints form a cycle through process 'a'");
  EXPECT_EQ(validate(R"([{"name": "a", "cmdline": "x", "ephemeral": true},
                         {"name": "b", "cmdline": "y"}])",
                     R"([{"order": ["a", "b"]}])")
                .message(),
            "task.constraints[0].order: non-ephemeral process 'b' may not wait on ephemeral "
            "process 'a' (the task does not wait for an ephemeral process to finish)");
}

// Whatever the agent (or a disk error) leaves in task.json, parsing returns a value or
// an error; under ASan this also shows it never reads out of bounds.
TEST(TaskSpecTest, NeverCrashesOnTruncatedOrCorruptedInput) {
  const std::string good = R"({"task_id": "t", "ports": {"http": 1},
    "task": {"processes": [{"name": "a", "cmdline": "echo \"\u00e9\"", "min_duration": 1.5}],
             "constraints": [{"order": ["a"]}], "finalization_wait": 3}})";
  ASSERT_TRUE(parse_launch_spec(good).ok());
  size_t errors = 0;
  for (size_t cut = 0; cut < good.size(); ++cut)
    errors += !parse_launch_spec(good.substr(0, cut)).ok();
  EXPECT_EQ(errors, good.size());  // every strict prefix is incomplete JSON
  uint32_t seed = 12345;
  for (int round = 0; round < 5000; ++round) {
    std::string bad = good;
    for (int k = 0; k < 3; ++k) {
      seed = seed * 1103515245 + 12345;
      bad[(seed >> 8) % bad.size()] = static_cast<char>(seed >> 24);
    }
    auto spec = parse_launch_spec(bad);
    if (spec.ok()) (void)validate_task(spec->task);
  }
}

}  // namespace
}  // namespace borealis::taskcontract

#include "agent/protocol.h"

#include <gtest/gtest.h>

#include "agent/launch_spec.h"
#include "spec/job_spec_json.h"

namespace borealis::agent {
namespace {

json::object obj(const std::string& text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v.ok()) << text;
  return v->as_object();
}

TEST(ProtocolTest, RegisterBodyHasEveryField) {
  RegisterRequest r;
  r.agent_id = "a1";
  r.hostname = "h";
  r.address = "h:5051";
  r.resources = {2.5, 1024, 4096};
  r.ports = {{31000, 31999}};
  r.attributes = {{"host", "h"}, {"rack", "r1"}};
  r.tasks = {{"t1", TaskState::kRunning}};
  auto o = obj(register_request_json(r));
  EXPECT_EQ(o.at("agent_id"), "a1");
  EXPECT_EQ(o.at("address"), "h:5051");
  EXPECT_EQ(o.at("resources").at("cpu").as_double(), 2.5);
  EXPECT_EQ(o.at("resources").at("ram").as_int64(), 1024);
  EXPECT_EQ(o.at("ports").at(0).at(1).as_int64(), 31999);
  EXPECT_EQ(o.at("attributes").at("rack"), "r1");
  EXPECT_EQ(o.at("tasks").at(0).at("state"), "RUNNING");
}

TEST(ProtocolTest, PollBodyCarriesTasksOnlyWhenAsked) {
  auto without = obj(poll_request_json("a1", 41, nullptr));
  EXPECT_EQ(without.at("acked_command_seq").as_int64(), 41);
  EXPECT_FALSE(without.contains("tasks"));
  std::vector<TaskReport> tasks = {{"t", TaskState::kStarting}};
  auto with = obj(poll_request_json("a1", 0, &tasks));
  EXPECT_EQ(with.at("tasks").at(0).at("task_id"), "t");
}

TEST(ProtocolTest, ReadsCommandsAndConfigs) {
  auto a = parse_poll_answer(R"({
    "commands": [
      {"seq": 42, "type": "launch", "task_id": "t1", "instance": 3, "config_id": "c1",
       "ports": {"http": 31000}},
      {"seq": 43, "type": "kill", "task_id": "t2", "reason": "killed by user"},
      {"seq": 44, "type": "drain", "whatever": 1}],
    "configs": {"c1": {"name": "hello"}},
    "future_field": true})");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->commands.size(), 3u);
  EXPECT_EQ(a->commands[0].launch.task_id, "t1");
  EXPECT_EQ(a->commands[0].launch.instance, 3);
  EXPECT_EQ(a->commands[0].launch.ports.at("http"), 31000);
  EXPECT_EQ(a->commands[1].reason, "killed by user");
  EXPECT_EQ(a->commands[2].type, "drain");
  EXPECT_TRUE(a->configs.at("c1").is_object());
  auto empty = parse_poll_answer(R"({"commands": []})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->commands.empty());
}

TEST(ProtocolTest, BadAnswersNameTheField) {
  auto no_config = parse_poll_answer(R"({"commands":[{"seq":1,"type":"launch","task_id":"t"}]})");
  ASSERT_FALSE(no_config.ok());
  EXPECT_NE(no_config.status().message().find("config_id"), std::string::npos);
  auto bad_port = parse_poll_answer(
      R"({"commands":[{"seq":1,"type":"launch","task_id":"t","config_id":"c","ports":{"h":0}}]})");
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.status().message().find("ports"), std::string::npos);
  auto bad_ack = parse_updates_answer(R"({"acked_seq":"x"})");
  ASSERT_FALSE(bad_ack.ok());
  EXPECT_NE(bad_ack.status().message().find("acked_seq"), std::string::npos);
  EXPECT_FALSE(parse_register_answer(R"({"agent_id":""})").ok());
  EXPECT_FALSE(parse_register_answer("not json").ok());
}

TEST(ProtocolTest, UpdatesRoundTrip) {
  auto body = obj(updates_request_json("a1", {{5, "t", TaskState::kFinished, 9, "ok", {1}}}));
  EXPECT_EQ(body.at("updates").at(0).at("seq").as_int64(), 5);
  EXPECT_EQ(body.at("updates").at(0).at("state"), "FINISHED");
  auto a = parse_updates_answer(R"({"acked_seq": 5, "kill": ["x"]})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->acked_seq, 5);
  EXPECT_EQ(a->kill, std::vector<std::string>{"x"});
  auto r = parse_register_answer(R"({"agent_id":"a9","poll_timeout_ms":100})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->poll_timeout_ms, 100);
  EXPECT_EQ(r->agent_timeout_ms, 15000);
  EXPECT_EQ(error_code(R"({"error":{"code":"NOT_FOUND","message":"m"}})"), "NOT_FOUND");
  EXPECT_EQ(error_code("nope"), "");
}

TEST(LaunchSpecTest, TaskIdsMustBeSafeDirectoryNames) {
  EXPECT_TRUE(validate_task_id("www-data-prod-hello-0-1b4e28ba_x.y").ok());
  for (const char* bad : {"", ".", "..", "a/b", "a b", "../x"})
    EXPECT_FALSE(validate_task_id(bad).ok()) << bad;
  EXPECT_FALSE(validate_task_id(std::string(256, 'a')).ok());
}

TEST(LaunchSpecTest, TaskJsonFollowsTheContract) {
  auto job = spec::job_spec_from_json(*parse_json(R"({
    "name": "hello", "role": "www-data", "environment": "prod", "cluster": "devcluster",
    "task": {"name": "hello", "finalization_wait": 12,
             "processes": [{"name": "p", "cmdline": "echo {{thermos.ports[http]}}"}],
             "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576}}})"));
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  LaunchCommand launch{"t-1", 2, "c1", {{"http", 31005}}};
  json::value v = task_json(launch, *job, "agent-1");
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("task_id"), "t-1");
  EXPECT_EQ(o.at("instance").as_int64(), 2);
  EXPECT_EQ(o.at("hostname"), "agent-1");
  EXPECT_EQ(o.at("cluster"), "devcluster");
  EXPECT_EQ(o.at("role"), "www-data");
  EXPECT_EQ(o.at("environment"), "prod");
  EXPECT_EQ(o.at("job"), "hello");
  EXPECT_EQ(o.at("user"), "www-data");  // the role, as Aurora runs tasks
  EXPECT_EQ(o.at("ports").at("http").as_int64(), 31005);
  const auto& p = o.at("task").at("processes").at(0).as_object();
  EXPECT_EQ(p.at("max_failures").as_int64(), 1);  // defaults filled in
  EXPECT_EQ(p.at("min_duration").as_int64(), 5);
  EXPECT_EQ(finalization_wait_secs(v), 12);
  EXPECT_EQ(task_json(launch, *job, "agent-1", /*run_as_agent_user=*/true).at("user"), "");
  EXPECT_EQ(finalization_wait_secs(json::value(1), 30), 30);
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

#include "api/jobs.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"
#include "api/json_fields.h"
#include "common/instance_ranges.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

// Every field set, so a round trip checks each.
JobSummary summary() {
  return {"devcluster/www-data/prod/hello",
          "www-data",
          "prod",
          "hello",
          3,
          true,
          {{"RUNNING", 2}, {"PENDING", 1}},
          "PENDING",
          3,
          1700000000000,
          "alice",
          "9c1d",
          std::nullopt};
}

TaskInfo task() {
  return {2,         "www-data-prod-hello-2-x",
          "RUNNING", "agent-1",
          "2f0c",    {{"http", 31000}, {"health", 31001}},
          1,         "healthy: http",
          "9c1d",    {{1700000000000, "PENDING", ""}, {1700000001000, "RUNNING", "healthy: http"}}};
}

TEST(JobsCodecTest, RoundTrips) {
  expect_round_trip(summary());
  JobSummary cron = summary();
  cron.cron_schedule = "*/5 * * * *";
  expect_round_trip(cron);
  expect_round_trip(JobList{{summary(), cron}});
  expect_round_trip(JobList{});
  expect_round_trip(JobDetail{summary(), json::object{{"name", "hello"}, {"instances", 3}}});
  expect_round_trip(CreateJobResult{"devcluster/www-data/prod/hello", 3});
  expect_round_trip(JobVersion{"9c1d", json::object{{"name", "hello"}}});
  expect_round_trip(KillRequest{});
  expect_round_trip(KillRequest{std::vector<int32_t>{0, 3}, "bye"});
  expect_round_trip(KillRequest{std::vector<int32_t>{}, ""});
  expect_round_trip(KillResult{{"t-0", "t-1"}});
  expect_round_trip(task());
  TaskInfo announced = task();
  announced.primary_endpoint = "agent-1:31000";
  expect_round_trip(announced);
  expect_round_trip(TaskList{{task(), TaskInfo{0, "t", "PENDING"}}});
}

TEST(JobsCodecTest, EncodingIsTheDocumentedShape) {
  EXPECT_EQ(json::serialize(encode(CreateJobResult{"c/r/e/n", 2})),
            R"({"job":"c/r/e/n","instances":2})");
  EXPECT_EQ(json::serialize(encode(KillRequest{})), "{}");
  JobSummary cron = summary();
  cron.cron_schedule = "@daily";
  EXPECT_EQ(json::serialize(encode(cron)),
            R"({"key":"devcluster/www-data/prod/hello","role":"www-data","environment":"prod",)"
            R"("name":"hello","instances":3,"service":true,"state_counts":{"PENDING":1,)"
            R"("RUNNING":2},"status":"PENDING","active_tasks":3,"created_ms":1700000000000,)"
            R"("created_by":"alice","config_id":"9c1d","cron_schedule":"@daily"})");
  EXPECT_EQ(json::serialize(encode(TaskList{{TaskInfo{0, "t", "PENDING"}}})),
            R"({"tasks":[{"instance_id":0,"task_id":"t","status":"PENDING","host":"",)"
            R"("agent_id":"","ports":{},"failure_count":0,"message":"","config_id":"",)"
            R"("events":[]}]})");
}

TEST(JobsCodecTest, RefusesMissingRequiredFields) {
  expect_refused(JobList{{summary()}}, "/jobs", "jobs: is required");
  expect_refused(JobList{{summary()}}, "/jobs/0/key", "jobs[0].key: is required");
  expect_refused(JobDetail{summary(), json::object{}}, "/job", "job: is required");
  expect_refused(JobDetail{summary(), json::object{}}, "/job/key", "job.key: is required");
  expect_refused(CreateJobResult{"k", 1}, "/job", "job: is required");
  expect_refused(JobVersion{"9c1d", json::object{}}, "/version/id", "version.id: is required");
  expect_refused(KillResult{{"t"}}, "/killed", "killed: is required");
  expect_refused(TaskList{{task()}}, "/tasks", "tasks: is required");
  for (const char* field : {"instance_id", "task_id", "status"})
    expect_refused(TaskList{{task()}}, std::string("/tasks/0/") + field,
                   std::string("tasks[0].") + field + ": is required");
}

TEST(JobsCodecTest, RefusesWrongTypes) {
  const json::value text = "x", number = 1, list = json::array{};
  expect_refused(summary(), "/key", "key: expected a string", number);
  expect_refused(summary(), "/role", "role: expected a string", number);
  expect_refused(summary(), "/environment", "environment: expected a string", number);
  expect_refused(summary(), "/name", "name: expected a string", number);
  expect_refused(summary(), "/instances", "instances: expected an integer", text);
  expect_refused(summary(), "/service", "service: expected", text);
  expect_refused(summary(), "/state_counts", "state_counts: expected an object", list);
  expect_refused(summary(), "/state_counts/RUNNING", "state_counts.RUNNING: expected an integer",
                 text);
  expect_refused(summary(), "/status", "status: expected a string", number);
  expect_refused(summary(), "/active_tasks", "active_tasks: expected an integer", text);
  expect_refused(summary(), "/created_ms", "created_ms: expected an integer", text);
  expect_refused(summary(), "/config_id", "config_id: expected a string", number);
  JobSummary cron = summary();
  cron.cron_schedule = "* * * * *";
  expect_refused(cron, "/cron_schedule", "cron_schedule: expected a string", number);
  expect_refused(JobList{{summary()}}, "/jobs", "jobs: expected a list", text);
  expect_refused(JobList{{summary()}}, "/jobs/0", "jobs[0]: expected an object", text);
  expect_refused(JobDetail{summary(), json::object{}}, "/job", "job: expected an object", text);
  expect_refused(CreateJobResult{"k", 1}, "/instances", "instances: expected an integer", text);
  expect_refused(KillResult{{"t"}}, "/killed/0", "killed[0]: expected a string", number);
  KillRequest kill{std::vector<int32_t>{1}, "m"};
  expect_refused(kill, "/instances", "instances: expected a list", text);
  expect_refused(kill, "/instances/0", "instances[0]: must be between 0 and 999999, got -1", -1);
  expect_refused(kill, "/message", "message: expected a string", number);
  expect_refused(task(), "/instance_id", "instance_id: expected an integer", text);
  expect_refused(task(), "/task_id", "task_id: expected a string", number);
  expect_refused(task(), "/status", "status: expected a string", number);
  expect_refused(task(), "/host", "host: expected a string", number);
  expect_refused(task(), "/agent_id", "agent_id: expected a string", number);
  expect_refused(task(), "/ports/http", "ports.http: expected an integer", text);
  expect_refused(task(), "/failure_count", "failure_count: expected an integer", text);
  expect_refused(task(), "/message", "message: expected a string", number);
  expect_refused(task(), "/config_id", "config_id: expected a string", number);
  expect_refused(task(), "/events", "events: expected a list", text);
  expect_refused(task(), "/events/1", "events[1]: expected an object", text);
  expect_refused(task(), "/events/1/ts_ms", "events[1].ts_ms: expected an integer", text);
  expect_refused(task(), "/events/1/status", "events[1].status: expected a string", number);
  expect_refused(task(), "/events/1/message", "events[1].message: expected a string", number);
}

TEST(JobsCodecTest, KillRequestBoundsPassAtTheLimitAndFailOnePast) {
  KillRequest at_limit{std::vector<int32_t>(kMaxInstanceIdsPerRequest, kMaxInstanceId),
                       std::string(kMaxRequestMessageBytes, 'm')};
  expect_round_trip(at_limit);
  KillRequest kill{std::vector<int32_t>{1, 2}, "m"};
  // Once cast to int32 unchecked: 2^32 + 1 became instance 1.
  expect_refused(kill, "/instances/1", "instances[1]: must be between 0 and 999999, got 4294967297",
                 json::value(int64_t{4294967297}));
  expect_refused(kill, "/instances/1", "instances[1]: must be between 0 and 999999, got 1000000",
                 json::value(kMaxInstanceId + 1));
  expect_refused(kill, "/instances/1", "instances[1]: expected an instance id (an integer)",
                 json::value(1.5));
  expect_refused(kill, "/instances", "instances: 10001 instance ids, more than the limit of 10000",
                 json::array(kMaxInstanceIdsPerRequest + 1, json::value(0)));
  expect_refused(kill, "/message", "message: 1025 bytes, more than the limit of 1024",
                 json::value(std::string(kMaxRequestMessageBytes + 1, 'm')));
}

TEST(JobsCodecTest, AnswersMayCarryNewFieldsButRequestsMayNot) {
  json::object list = encode(JobList{{summary()}});
  list["next_page"] = "x";
  list["jobs"].as_array()[0].as_object()["future"] = true;
  EXPECT_TRUE(decode<JobList>(list).ok());
  auto kill = decode<KillRequest>(json::object{{"instance", json::array{0}}});
  ASSERT_FALSE(kill.ok());
  EXPECT_EQ(kill.status().message(), "instance: unknown field");
}

TEST(JobsCodecTest, BodiesMustBeObjects) {
  EXPECT_EQ(decode<TaskList>(json::array{}).status().message(),
            "task list: expected a JSON object");
  EXPECT_FALSE(decode_body<JobList>("{not json").ok());
}

TEST(JobsCodecTest, TerminalTaskStatuses) {
  for (const char* s : {"FINISHED", "FAILED", "KILLED", "LOST"})
    EXPECT_TRUE(is_terminal_task_status(s));
  for (const char* s : {"PENDING", "ASSIGNED", "STARTING", "RUNNING", "KILLING"})
    EXPECT_FALSE(is_terminal_task_status(s));
}

}  // namespace
}  // namespace borealis::api

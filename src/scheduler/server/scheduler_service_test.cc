// The scheduler daemon over real HTTP and a real SQLite file, with a scripted agent.
#include <gtest/gtest.h>

#include "common/json.h"
#include "protocol/task_state.h"
#include "scheduler/server/service_test_fixture.h"
#include "version/version.h"

namespace borealis::scheduler {
namespace {

constexpr const char* kJob = R"({"role": "www-data", "environment": "prod", "cluster": "test",
  "name": "hello", "instances": 2, "service": true,
  "task": {"processes": [{"name": "hello", "cmdline": "serve {{thermos.ports[http]}}"}],
           "resources": {"cpu": 0.5, "ram": 67108864, "disk": 67108864}}})";

class SchedulerServiceTest : public ServiceTest {
 protected:
  void SetUp() override { start(); }
  void start() {
    SchedulerOptions o = options();
    o.poll_timeout_ms = 200;
    ServiceTest::start(o);
  }
  void restart() {
    service_->stop();
    service_.reset();
    start();
  }
  json::value call(const std::string& method, const std::string& path, const std::string& body,
                   int expect_status) {
    auto r = client_->request(method, path, body);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    if (!r.ok()) return nullptr;
    EXPECT_EQ(r->status, expect_status) << method << " " << path << ": " << r->body;
    auto v = parse_json(r->body);
    return v.ok() ? *v : json::value(r->body);
  }
  std::string register_agent(const std::string& tasks = "[]", const std::string& id = "") {
    json::value v =
        call("POST", "/agent/v1/register",
             R"({"agent_id": ")" + id + R"(", "hostname": "h1", "address": "127.0.0.1:1",
                             "resources": {"cpu": 4, "ram": 8589934592, "disk": 8589934592},
                             "ports": [[31000, 31009]], "tasks": )" +
                 tasks + "}",
             200);
    return std::string(v.at("agent_id").as_string());
  }
};

TEST_F(SchedulerServiceTest, HealthAndCluster) {
  auto r = client_->get("/health");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  json::value c = call("GET", "/api/v1/cluster", "", 200);
  EXPECT_EQ(c.at("cluster").as_string(), "test");
  EXPECT_EQ(c.at("version").as_string(), kVersion);  // CMake's PROJECT_VERSION
}

// The task user rule (docs/security.md): refused at create and at update with 400 naming
// the user and the role; a user this host does not know is the agents' to judge.
TEST_F(SchedulerServiceTest, TasksOfRootOrSystemAccountsAreRefusedAtCreateAndUpdate) {
  auto message = [](const json::value& e) {
    return std::string(e.at("error").at("message").as_string());
  };
  auto with_user = [](const std::string& user) {
    std::string job = kJob;
    job.replace(job.find("\"processes\""), 0, "\"user\": \"" + user + "\", ");
    return job;
  };
  service_->stop();
  SchedulerOptions o = options();
  o.min_task_uid = 1000;
  ServiceTest::start(o);
  EXPECT_EQ(message(call("POST", "/api/v1/jobs", kJob, 400)),
            "task user 'www-data' (uid 33) of role 'www-data' is refused: its uid is below "
            "--min-task-uid 1000 (a system account); an operator may allow the role with "
            "--allow-root-roles");
  EXPECT_EQ(message(call("POST", "/api/v1/jobs", with_user("root"), 400)),
            "task user 'root' (uid 0) of role 'www-data' is refused: tasks never run as root; an "
            "operator may allow the role with --allow-root-roles");
  call("POST", "/api/v1/jobs", with_user("nobody"), 201);
  std::string update = R"({"spec": )" + with_user("root") + "}";
  EXPECT_EQ(message(call("POST", "/api/v1/jobs/www-data/prod/hello/update", update, 400)),
            "task user 'root' (uid 0) of role 'www-data' is refused: tasks never run as root; an "
            "operator may allow the role with --allow-root-roles");
  std::string elsewhere = with_user("no-such-user-x");
  elsewhere.replace(elsewhere.find("\"hello\""), 7, "\"other\"");
  call("POST", "/api/v1/jobs", elsewhere, 201);

  service_->stop();
  o.allow_root_roles = "ops,www-data";
  ServiceTest::start(o);
  call("POST", "/api/v1/jobs/www-data/prod/hello/update", update, 200);
  o.allow_root_roles = "bad role";
  SchedulerService bad(o);
  EXPECT_EQ(bad.start().message(),
            "--allow-root-roles: role 'bad role' may only contain letters, digits, '_', '-' and "
            "'.'");
}

TEST_F(SchedulerServiceTest, BadInputIsRefusedWithClearErrors) {
  json::value e = call("POST", "/api/v1/jobs", "{\"role\": ", 400);
  EXPECT_NE(std::string(e.at("error").at("message").as_string()).find("malformed JSON at line 1"),
            std::string::npos);
  std::string unknown = kJob;
  unknown.insert(1, "\"cpus\": 1, ");
  e = call("POST", "/api/v1/jobs", unknown, 400);
  EXPECT_EQ(e.at("error").at("message").as_string(), "cpus: unknown field");
  std::string negative = kJob;
  negative.replace(negative.find("\"cpu\": 0.5"), 10, "\"cpu\": -2");
  e = call("POST", "/api/v1/jobs", negative, 400);
  EXPECT_NE(std::string(e.at("error").at("message").as_string()).find("task.resources.cpu"),
            std::string::npos);
  e = call("GET", "/api/v1/jobs/bad%20role/prod/x", "", 400);
  EXPECT_NE(std::string(e.at("error").at("message").as_string()).find("role 'bad role'"),
            std::string::npos);
  call("GET", "/api/v1/jobs/www-data/prod/nope", "", 404);
  auto big = client_->post("/api/v1/jobs", std::string(9 << 20, ' '));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 413);
  // Nothing was stored by any of it.
  json::value jobs = call("GET", "/api/v1/jobs", "", 200);
  EXPECT_TRUE(jobs.at("jobs").as_array().empty());
}

// Announcer portmap aliases and fixed ports reach the agent in the launch's `ports`, and
// the API shows them with the primary endpoint (docs/aurora-configs.md, "Ports").
TEST_F(SchedulerServiceTest, LaunchAndTaskViewCarryPortAliasesAndThePrimaryEndpoint) {
  call("POST", "/api/v1/jobs", R"({"role": "www-data", "environment": "prod", "cluster": "test",
    "name": "aliased", "service": true,
    "announce": {"primary_port": "alias", "portmap": {"alias": "http", "admin": "8080"}},
    "task": {"processes": [{"name": "a", "cmdline": "serve {{thermos.ports[alias]}}"}],
             "resources": {"cpu": 0.5, "ram": 67108864, "disk": 67108864}}})",
       201);
  std::string agent = register_agent();
  json::value poll = call("POST", "/agent/v1/poll",
                          R"({"agent_id": ")" + agent + R"(", "acked_command_seq": 0})", 200);
  const auto& cmds = poll.at("commands").as_array();
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_EQ(cmds[0].at("ports"),
            json::value(json::object{{"admin", 8080}, {"alias", 31000}, {"http", 31000}}));
  json::value tasks = call("GET", "/api/v1/jobs/www-data/prod/aliased/tasks", "", 200);
  const auto& task = tasks.at("tasks").as_array().at(0);
  EXPECT_EQ(task.at("ports"), cmds[0].at("ports"));
  EXPECT_EQ(task.at("primary_endpoint").as_string(), "h1:31000");
}

TEST_F(SchedulerServiceTest, JobRunsOnAScriptedAgentAndSurvivesRestart) {
  call("POST", "/api/v1/jobs", kJob, 201);
  call("POST", "/api/v1/jobs", kJob, 409);
  json::value tasks = call("GET", "/api/v1/jobs/www-data/prod/hello/tasks", "", 200);
  ASSERT_EQ(tasks.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(tasks.at("tasks").as_array()[0].at("status").as_string(), "PENDING");
  EXPECT_EQ(tasks.at("tasks").as_array()[0].at("message").as_string(), "no agents are registered");

  std::string agent = register_agent();
  json::value poll = call("POST", "/agent/v1/poll",
                          R"({"agent_id": ")" + agent + R"(", "acked_command_seq": 0})", 200);
  const auto& cmds = poll.at("commands").as_array();
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].at("type").as_string(), "launch");
  std::string config_id(cmds[0].at("config_id").as_string());
  EXPECT_EQ(poll.at("configs").at(config_id).at("name").as_string(), "hello");
  EXPECT_TRUE(cmds[0].at("ports").as_object().contains("http"));
  std::string t0(cmds[0].at("task_id").as_string()), t1(cmds[1].at("task_id").as_string());
  json::value ack = call("POST", "/agent/v1/updates",
                         R"({"agent_id": ")" + agent + R"(", "updates": [
                            {"seq": 1, "task_id": ")" +
                             t0 + R"(", "state": "RUNNING"},
                            {"seq": 2, "task_id": ")" +
                             t1 + R"(", "state": "RUNNING"},
                            {"seq": 3, "task_id": "stranger", "state": "RUNNING"}]})",
                         200);
  EXPECT_EQ(ack.at("acked_seq").as_int64(), 3);
  ASSERT_EQ(ack.at("kill").as_array().size(), 1u);
  json::value list = call("GET", "/api/v1/jobs", "", 200);
  EXPECT_EQ(list.at("jobs").as_array()[0].at("status").as_string(), "RUNNING");

  restart();
  list = call("GET", "/api/v1/jobs", "", 200);
  ASSERT_EQ(list.at("jobs").as_array().size(), 1u);
  tasks = call("GET", "/api/v1/jobs/www-data/prod/hello/tasks?active=true", "", 200);
  ASSERT_EQ(tasks.at("tasks").as_array().size(), 2u);
  for (const auto& t : tasks.at("tasks").as_array())
    EXPECT_EQ(t.at("status").as_string(), "RUNNING");
  // The agent must register again; then it kills what the scheduler killed.
  call("POST", "/agent/v1/poll", R"({"agent_id": ")" + agent + R"("})", 404);
  std::string again = register_agent(R"([{"task_id": ")" + t0 + R"(", "state": "RUNNING"},
                                         {"task_id": ")" +
                                         t1 + R"(", "state": "RUNNING"}])",
                                     agent);
  EXPECT_EQ(again, agent);
  json::value killed =
      call("POST", "/api/v1/jobs/www-data/prod/hello/kill", "{\"instances\": [1]}", 200);
  ASSERT_EQ(killed.at("killed").as_array().size(), 1u);
  poll = call("POST", "/agent/v1/poll", R"({"agent_id": ")" + agent + R"("})", 200);
  ASSERT_EQ(poll.at("commands").as_array().size(), 1u);
  EXPECT_EQ(poll.at("commands").as_array()[0].at("type").as_string(), "kill");
  EXPECT_EQ(poll.at("commands").as_array()[0].at("task_id").as_string(), t1);
}

// A job's versions by id (what `borealis job history` reads an update's spec from): only
// under the job the version belongs to.
TEST_F(SchedulerServiceTest, AJobVersionIsReadByItsIdUnderItsJobOnly) {
  call("POST", "/api/v1/jobs", kJob, 201);
  std::string other = kJob;
  other.replace(other.find("\"hello\""), 7, "\"other\"");
  call("POST", "/api/v1/jobs", other, 201);
  json::value job = call("GET", "/api/v1/jobs/www-data/prod/hello", "", 200);
  std::string id(job.at("job").at("config_id").as_string());
  json::value v = call("GET", "/api/v1/jobs/www-data/prod/hello/versions/" + id, "", 200);
  EXPECT_EQ(v.at("version").at("id").as_string(), id);
  EXPECT_EQ(v.at("version").at("spec").at("name").as_string(), "hello");
  EXPECT_EQ(v.at("version").at("spec"), job.at("job").at("spec"));
  json::value e = call("GET", "/api/v1/jobs/www-data/prod/other/versions/" + id, "", 404);
  EXPECT_EQ(e.at("error").at("message").as_string(),
            "job www-data/prod/other has no version '" + id + "'");
}

TEST_F(SchedulerServiceTest, OneBadUpdateIsNamedAndTheRestOfItsBatchApplied) {
  call("POST", "/api/v1/jobs", kJob, 201);
  std::string agent = register_agent();
  json::value poll = call("POST", "/agent/v1/poll",
                          R"({"agent_id": ")" + agent + R"(", "acked_command_seq": 0})", 200);
  const auto& cmds = poll.at("commands").as_array();
  ASSERT_EQ(cmds.size(), 2u);
  std::string t0(cmds[0].at("task_id").as_string()), t1(cmds[1].at("task_id").as_string());
  std::string too_long(protocol::kMaxStatusMessageBytes + 1, 'x');
  json::value ack = call("POST", "/agent/v1/updates",
                         R"({"agent_id": ")" + agent + R"(", "dropped_seqs": [1], "updates": [
                            {"seq": 2, "task_id": ")" +
                             t0 + R"(", "state": "RUNNING"},
                            {"seq": 3, "task_id": ")" +
                             t1 + R"(", "state": "RUNNING",
                             "message": ")" +
                             too_long + R"("},
                            {"seq": 4, "task_id": ")" +
                             t1 + R"(", "state": "RUNNING"}]})",
                         200);
  EXPECT_EQ(ack.at("acked_seq").as_int64(), 4);
  ASSERT_EQ(ack.at("rejected").as_array().size(), 1u);
  EXPECT_EQ(ack.at("rejected").at(0).at("seq").as_int64(), 3);
  EXPECT_EQ(ack.at("rejected").at(0).at("error").as_string(),
            "updates[1].message: 4097 bytes, more than the limit of 4096");
  json::value tasks = call("GET", "/api/v1/jobs/www-data/prod/hello/tasks?active=true", "", 200);
  for (const auto& t : tasks.at("tasks").as_array())
    EXPECT_EQ(t.at("status").as_string(), "RUNNING");

  // A body with a repeated key is refused whole, naming the key.
  json::value dup =
      call("POST", "/agent/v1/updates",
           R"({"agent_id": ")" + agent + R"(", "agent_id": "x", "updates": []})", 400);
  EXPECT_NE(std::string(dup.at("error").at("message").as_string()).find("duplicate key 'agent_id'"),
            std::string::npos)
      << dup;
}

TEST_F(SchedulerServiceTest, IdlePollIsHeldThenAnsweredEmpty) {
  std::string agent = register_agent();
  auto start = std::chrono::steady_clock::now();
  json::value poll = call("POST", "/agent/v1/poll", R"({"agent_id": ")" + agent + R"("})", 200);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(poll.at("commands").as_array().empty());
  EXPECT_GE(waited, std::chrono::milliseconds(150));
}

}  // namespace
}  // namespace borealis::scheduler

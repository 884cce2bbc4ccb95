// Tasks never run privileged (docs/security.md), shown on a whole in-process cluster whose
// agents run tasks as their role's user, as production agents do: the scheduler refuses
// root and system accounts at create, a `nobody` task's processes and shell health check
// really run as uid 65534, and a user the agent's host does not have fails the task.
// The agents switch users only when root, so these tests need root.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/http_client.h"
#include "testing/cluster.h"

namespace borealis::testing {
namespace {

// A service of `role` whose process runs `cmdline`, as `user` when given.
json::value job(const std::string& name, const std::string& role, const std::string& user,
                const std::string& cmdline) {
  json::object task{
      {"processes", json::array{json::object{{"name", "main"}, {"cmdline", cmdline}}}},
      {"resources", json::object{{"cpu", 0.1}, {"ram", 16 << 20}, {"disk", 16 << 20}}}};
  if (!user.empty()) task["user"] = user;
  return json::object{{"name", name},          {"role", role},
                      {"environment", "test"}, {"cluster", "devcluster"},
                      {"service", true},       {"task", task}};
}

class TaskUserClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "agents switch users only when root";
    ClusterOptions o;
    o.scheduler.check_task_users = true;  // the production rule: --min-task-uid 1000
    o.tune_agent = [](agent::AgentConfig& c) { c.run_tasks_as_agent_user = false; };
    auto c = Cluster::start(std::move(o));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    cluster_ = std::move(c).value();
    // The tasks' users must reach their sandboxes under the cluster's (private) directory.
    ::chmod(cluster_->dir().c_str(), 0755);
  }

  // The error of a create that must fail.
  std::string refusal(const json::value& spec) {
    auto r = cluster_->create_job(spec);
    return r.ok() ? "created" : r.status().message();
  }

  // The stdout of the task's process `main`, through the agent's API.
  std::string stdout_of(const std::string& task_id) {
    auto agents = cluster_->api("GET", "/api/v1/agents");
    if (!agents.ok()) return agents.status().message();
    std::string address(agents->at("agents").at(0).at("address").as_string());
    auto client = net::HttpClient::create("http://" + address);
    if (!client.ok()) return client.status().message();
    auto r = (*client)->get("/api/v1/tasks/" + task_id + "/logs/main?stream=stdout");
    if (!r.ok()) return r.status().message();
    return r->body;
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(TaskUserClusterTest, RootAndSystemAccountsAreRefusedAtCreate) {
  EXPECT_EQ(refusal(job("a", "web", "root", "true")),
            "POST /api/v1/jobs: HTTP 400: {\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":"
            "\"task user 'root' (uid 0) of role 'web' is refused: tasks never run as root; an "
            "operator may allow the role with --allow-root-roles\"}}");
  EXPECT_NE(refusal(job("b", "www-data", "", "true"))
                .find("task user 'www-data' (uid 33) of role 'www-data' is refused: its uid is "
                      "below --min-task-uid 1000"),
            std::string::npos);
  auto jobs = cluster_->api("GET", "/api/v1/jobs");
  ASSERT_TRUE(jobs.ok());
  EXPECT_TRUE(jobs->at("jobs").as_array().empty());
}

TEST_F(TaskUserClusterTest, ANobodyTaskAndItsShellCheckRunAsUid65534) {
  json::value spec = job("who", "web", "nobody", "echo \"$(id -u) $(id -G) $USER\"; sleep 600");
  // RUNNING needs the check to pass, and it passes only as nobody.
  spec.as_object()["health_check_config"] = json::object{
      {"initial_interval_secs", 0.1},
      {"interval_secs", 0.1},
      {"health_checker",
       json::object{{"shell", json::object{{"shell_command", "test \"$(id -u)\" = 65534"}}}}}};
  auto created = cluster_->create_job(spec);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  ASSERT_TRUE(cluster_->wait_running("web/test/who", 1).ok());
  auto tasks = cluster_->tasks("web/test/who");
  ASSERT_TRUE(tasks.ok());
  std::string id(tasks->at(0).at("task_id").as_string());
  EXPECT_EQ(stdout_of(id), "65534 65534 nobody\n");
}

TEST_F(TaskUserClusterTest, AUserTheAgentsHostLacksFailsTheTaskWithTheReason) {
  // The scheduler's host lacks it too, and leaves the judgement to the agent.
  auto created = cluster_->create_job(job("ghost", "web", "no-such-user-x", "sleep 600"));
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  std::string message;
  Status st = cluster_->wait_tasks(
      "web/test/ghost",
      [&](const json::array& tasks) {
        for (const auto& t : tasks)
          if (t.at("status") == "FAILED") {
            message = std::string(t.at("message").as_string());
            return true;
          }
        return false;
      },
      "a FAILED task");
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(message,
            "launch: user: no user 'no-such-user-x' on this host (the task's role is 'web')");
}

}  // namespace
}  // namespace borealis::testing

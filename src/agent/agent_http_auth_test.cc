// The authorization matrix of the agent's API: every route of its real route table, called
// over loopback HTTP by each kind of caller, answers exactly what it should. A task's files
// and logs are for its role (and the prod grant when its prod is protected) and admins;
// the same holds for tasks found again after the agent restarts.
#include <gtest/gtest.h>
#include <pwd.h>

#include <array>
#include <set>

#include "agent/agent_http.h"
#include "agent/agent_options.h"
#include "agent/agent_test_fixture.h"
#include "agent/host_probe.h"
#include "auth/token.h"

namespace borealis::agent::testing {
namespace {

enum Caller { kAnonymous, kRoleA, kRoleB, kAdmin, kRoleAProd, kCallers };
const char* const kCallerNames[kCallers] = {"anonymous", "role A", "role B", "admin",
                                            "role A with prod grant"};
const char* const kTokens[kCallers] = {"", "a-token", "b-token", "admin-token", "prod-token"};

std::string role_a() {
  const passwd* pw = ::getpwuid(::geteuid());
  return pw ? pw->pw_name : "root";
}

std::shared_ptr<const auth::AuthConfig> auth_config() {
  auto user = [](const char* name, const char* token, const std::string& grants) {
    return std::string("  - name: ") + name + "\n    token_sha256: " + auth::sha256_hex(token) +
           "\n" + grants;
  };
  std::string a = role_a();
  std::string text =
      "users:\n" + user("a", "a-token", "    roles: [" + a + "]\n") +
      user("b", "b-token", "    roles: [other]\n") +
      user("admin", "admin-token", "    admin: true\n") +
      user("p", "prod-token", "    roles: [" + a + "]\n    prod_roles: [" + a + "]\n") +
      "protected_prod_roles: [" + a + "]\n";
  auto c = auth::AuthConfig::parse(text, "auth.yaml");
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  return std::make_shared<const auth::AuthConfig>(std::move(c).value());
}

struct Case {
  const char* pattern;  // the route, as the table spells it
  std::string path;
  std::array<int, kCallers> expect;  // Caller order
  const char* method = "GET";
  std::string body;
};

class AgentApiAuthTest : public AgentFixture {
 protected:
  void SetUp() override {
    AgentFixture::SetUp();
    config_.auth = auth_config();
  }

  // Starts the agent with one task in `test` and one in the protected `prod`, both done.
  void start_with_tasks() {
    start_agent();
    fake_.launch("t1", job("echo hello"));
    json::value prod = job("echo secret");
    prod.as_object()["environment"] = "prod";
    fake_.launch("p1", prod);
    ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
    ASSERT_TRUE(wait_states("p1", {S::kStarting, S::kRunning, S::kFinished}));
    connect_callers();
  }

  void connect_callers() {
    for (int c = 0; c < kCallers; ++c) {
      clients_[c] = std::move(
          net::HttpClient::create("http://127.0.0.1:" + std::to_string(agent_->http_port()))
              .value());
      if (c != kAnonymous)
        clients_[c]->set_header("Authorization", std::string("Bearer ") + kTokens[c]);
    }
  }

  static std::vector<Case> cases() {
    // Columns: anonymous, role A, role B, admin, role A with prod grant.
    return {
        {"/health", "/health", {200, 200, 200, 200, 200}},
        {"/api/v1/tasks", "/api/v1/tasks", {401, 200, 200, 200, 200}},
        {"/api/v1/tasks/*", "/api/v1/tasks/t1", {401, 200, 200, 200, 200}},
        {"/api/v1/tasks/*", "/api/v1/tasks/nope", {401, 404, 404, 404, 404}},
        {"/api/v1/tasks/*/files", "/api/v1/tasks/t1/files", {401, 200, 403, 200, 200}},
        {"/api/v1/tasks/*/files",
         "/api/v1/tasks/t1/files?path=.runner/task.json",
         {401, 200, 403, 200, 200}},
        {"/api/v1/tasks/*/files", "/api/v1/tasks/p1/files", {401, 403, 403, 200, 200}},
        {"/api/v1/tasks/*/files", "/api/v1/tasks/nope/files", {401, 404, 404, 404, 404}},
        {"/api/v1/tasks/*/logs/*", "/api/v1/tasks/t1/logs/main", {401, 200, 403, 200, 200}},
        {"/api/v1/tasks/*/logs/*", "/api/v1/tasks/p1/logs/main", {401, 403, 403, 200, 200}},
        // A command in a task acts as the task: write access to its role (and prod grant).
        {"/api/v1/tasks/*/run",
         "/api/v1/tasks/t1/run",
         {401, 200, 403, 200, 200},
         "POST",
         R"({"command": "true"})"},
        {"/api/v1/tasks/*/run",
         "/api/v1/tasks/p1/run",
         {401, 403, 403, 200, 200},
         "POST",
         R"({"command": "true"})"},
        // So does a shell in it; the callers allowed get to the missing Upgrade header.
        {"/api/v1/tasks/*/shell", "/api/v1/tasks/t1/shell", {401, 400, 403, 400, 400}, "POST"},
        {"/api/v1/tasks/*/shell", "/api/v1/tasks/p1/shell", {401, 403, 403, 400, 400}, "POST"},
        // Metrics read like the task list: any identity.
        {"/metrics", "/metrics", {401, 200, 200, 200, 200}},
        {"/vars", "/vars", {401, 200, 200, 200, 200}},
        {"/vars.json", "/vars.json", {401, 200, 200, 200, 200}},
    };
  }

  void expect_matrix() {
    for (const Case& c : cases())
      for (int who = 0; who < kCallers; ++who) {
        auto r = clients_[who]->request(c.method, c.path, c.body);
        ASSERT_TRUE(r.ok()) << r.status().to_string();
        EXPECT_EQ(r->status, c.expect[who])
            << c.method << " " << c.path << " as " << kCallerNames[who] << ": " << r->body;
      }
  }

  std::array<std::unique_ptr<net::HttpClient>, kCallers> clients_;
};

TEST_F(AgentApiAuthTest, EveryRouteHasCases) {
  std::set<std::string> covered, routes;
  for (const Case& c : cases()) covered.insert(std::string(c.method) + " " + c.pattern);
  for (const AgentRouteAccess& r : agent_api_routes()) {
    std::string route = std::string(r.method) + " " + r.path;
    routes.insert(route);
    EXPECT_TRUE(covered.count(route)) << route << " has no case in the authorization matrix";
  }
  for (const auto& pattern : covered) EXPECT_TRUE(routes.count(pattern)) << pattern;
}

TEST_F(AgentApiAuthTest, EveryRouteAnswersEachCallerExactly) {
  start_with_tasks();
  expect_matrix();
  auto b = clients_[kRoleB]->get("/api/v1/tasks/t1/logs/main");
  ASSERT_TRUE(b.ok());
  EXPECT_NE(b->body.find("user 'b' has no grant for role '" + role_a() + "'"), std::string::npos)
      << b->body;
  auto a = clients_[kRoleA]->get("/api/v1/tasks/t1/logs/main");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "hello\n");
}

TEST_F(AgentApiAuthTest, TasksFoundAfterARestartKeepTheirOwners) {
  start_with_tasks();
  agent_.reset();
  start_agent();
  connect_callers();
  expect_matrix();
}

}  // namespace
}  // namespace borealis::agent::testing

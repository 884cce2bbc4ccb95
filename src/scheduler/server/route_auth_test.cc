// The authorization matrix of the scheduler: every route of the real route tables, called
// over loopback HTTP by each kind of caller, answers exactly what it should — 401 or 403
// from the guard, or the handler's own answer for callers with the grant. A route added to
// a table without a case here fails RouteAuthTest.EveryRouteHasCases.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>

#include "auth/token.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

// The callers, in the order of Case::expect.
enum Caller { kAnonymous, kRoleA, kRoleB, kAdmin, kRoleAProd, kAgentA, kAgentB, kCallers };
const char* const kCallerNames[kCallers] = {"anonymous",
                                            "alice (role www)",
                                            "bob (role analytics)",
                                            "admin",
                                            "carol (www with prod grant)",
                                            "agent of host-a",
                                            "agent of host-b"};
const char* const kTokens[kCallers] = {
    "", "alice-token", "bob-token", "admin-token", "carol-token", "agent-a-token", "agent-b-token"};

std::string auth_file_text() {
  auto user = [](const char* name, const char* token, const char* grants) {
    return std::string("  - name: ") + name + "\n    token_sha256: " + auth::sha256_hex(token) +
           "\n" + grants;
  };
  return "users:\n" + user("alice", "alice-token", "    roles: [www]\n") +
         user("bob", "bob-token", "    roles: [analytics]\n") +
         user("admin", "admin-token", "    admin: true\n") +
         user("carol", "carol-token", "    roles: [www]\n    prod_roles: [www]\n") +
         user("agent-a", "agent-a-token", "    agents: [host-a]\n") +
         user("agent-b", "agent-b-token", "    agents: [host-b]\n") +
         "protected_prod_roles: [www]\n";
}

std::string job_spec(const std::string& env) {
  return R"({"role": "www", "environment": ")" + env + R"(", "cluster": "test",
    "name": "hello", "instances": 1, "service": true,
    "task": {"processes": [{"name": "hello", "cmdline": "sleep 100"}],
             "resources": {"cpu": 0.1, "ram": 1048576, "disk": 1048576}}})";
}

// A cron job beside hello: a batch job with a schedule.
std::string cron_spec(const std::string& env) {
  return R"({"role": "www", "environment": ")" + env + R"(", "cluster": "test",
    "name": "nightly", "instances": 1, "service": false, "cron_schedule": "0 3 * * *",
    "task": {"processes": [{"name": "backup", "cmdline": "true"}],
             "resources": {"cpu": 0.1, "ram": 1048576, "disk": 1048576}}})";
}

std::string register_body(const std::string& agent_id, const std::string& host) {
  return R"({"agent_id": ")" + agent_id + R"(", "hostname": ")" + host +
         R"(", "address": "127.0.0.1:1", "resources": {"cpu": 4, "ram": 8589934592,
         "disk": 8589934592}, "ports": [[31000, 31009]], "tasks": []})";
}

struct Case {
  const char* method;
  const char* pattern;  // the route it exercises, as its table spells it
  std::string path;
  std::string body;
  // Per caller (Caller order): the exact HTTP status.
  std::array<int, kCallers> expect;
};

class RouteAuthTest : public ServiceTest {
 protected:
  void SetUp() override {
    SchedulerOptions o = options();
    o.auth_file = dir_.write("auth.yaml", auth_file_text());
    o.poll_timeout_ms = 50;
    start(o);
    for (int c = 0; c < kCallers; ++c) {
      clients_[c] = std::move(
          net::HttpClient::create("http://127.0.0.1:" + std::to_string(service_->port())).value());
      if (c != kAnonymous)
        clients_[c]->set_header("Authorization", std::string("Bearer ") + kTokens[c]);
    }
    // host-a's agent registers; the jobs the cases act on exist.
    auto reg = call(kAgentA, "POST", "/agent/v1/register", register_body("", "host-a"));
    ASSERT_EQ(reg.status, 200) << reg.body;
    agent_a_ = std::string(parse_json(reg.body)->at("agent_id").as_string());
    ASSERT_EQ(call(kAdmin, "POST", "/api/v1/jobs", job_spec("devel")).status, 201);
    ASSERT_EQ(call(kAdmin, "POST", "/api/v1/jobs", job_spec("prod")).status, 201);
  }

  net::ClientResponse call(Caller who, const std::string& method, const std::string& path,
                           const std::string& body) {
    auto r = clients_[who]->request(method, path, body);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }

  std::vector<Case> cases() const {
    const std::string a = agent_a_;
    const std::string job = "/api/v1/jobs/www/devel/hello", nope = "/api/v1/jobs/www/devel/nope";
    const std::string prod_nope = "/api/v1/jobs/www/prod/nope";
    // Columns: anonymous, alice (www), bob (analytics), admin, carol (www+prod), agent-a,
    // agent-b.
    const std::string poll_a = R"({"agent_id": ")" + a + R"(", "acked_command_seq": 0})";
    const std::string updates_a = R"({"agent_id": ")" + a + R"(", "updates": []})";
    const std::string update_body = R"({"spec": )" + job_spec("devel") + "}";
    // clang-format off
    return {
        {"GET", "/health", "/health", "", {200, 200, 200, 200, 200, 200, 200}},
        // Without --zk this scheduler leads alone.
        {"GET", "/leaderhealth", "/leaderhealth", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/cluster", "/api/v1/cluster", "", {401, 200, 200, 200, 200, 200, 200}},
        // Creating a job that exists: the handler's 409 proves the guard let it through.
        {"POST", "/api/v1/jobs", "/api/v1/jobs", job_spec("devel"), {401, 409, 403, 409, 409, 403, 403}},
        {"POST", "/api/v1/jobs", "/api/v1/jobs", job_spec("prod"), {401, 403, 403, 409, 409, 403, 403}},
        {"POST", "/api/v1/jobs", "/api/v1/jobs", R"({"role": 7})", {401, 400, 400, 400, 400, 400, 400}},
        {"GET", "/api/v1/jobs", "/api/v1/jobs", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/jobs/*/*/*", job, "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/jobs/*/*/*", "/api/v1/jobs/www/prod/hello", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/jobs/*/*/*/tasks", job + "/tasks", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/jobs/*/*/*/versions/*", job + "/versions/nope", "", {401, 404, 404, 404, 404, 404, 404}},
        {"POST", "/api/v1/jobs/*/*/*/kill", nope + "/kill", "", {401, 404, 403, 404, 404, 403, 403}},
        {"POST", "/api/v1/jobs/*/*/*/kill", prod_nope + "/kill", "", {401, 403, 403, 404, 404, 403, 403}},
        {"GET", "/api/v1/agents", "/api/v1/agents", "", {401, 200, 200, 200, 200, 200, 200}},
        // Discovery reads like the job's status; hello has no `announce`: the handler's 404.
        {"GET", "/api/v1/discovery/*/*/*", "/api/v1/discovery/www/devel/hello", "", {401, 404, 404, 404, 404, 404, 404}},
        {"GET", "/api/v1/discovery/*/*/*", "/api/v1/discovery/www/prod/hello", "", {401, 404, 404, 404, 404, 404, 404}},
        // Prometheus' discovery reads like the job list: any identity, agents' tokens included.
        {"GET", "/api/v1/prometheus/targets", "/api/v1/prometheus/targets", "", {401, 200, 200, 200, 200, 200, 200}},
        // The agent protocol: only the agent of the host (or an admin).
        {"POST", "/agent/v1/register", "/agent/v1/register", register_body(a, "host-a"), {401, 403, 403, 200, 403, 200, 403}},
        {"POST", "/agent/v1/poll", "/agent/v1/poll", poll_a, {401, 403, 403, 200, 403, 200, 403}},
        // An agent id the scheduler does not know: any agent may hear "register again".
        {"POST", "/agent/v1/poll", "/agent/v1/poll", R"({"agent_id": "unknown"})", {401, 403, 403, 404, 403, 404, 404}},
        {"POST", "/agent/v1/updates", "/agent/v1/updates", updates_a, {401, 403, 403, 200, 403, 200, 403}},
        // An unchanged job: the update answers 200 with a message and changes nothing.
        {"POST", "/api/v1/jobs/*/*/*/update", job + "/update", update_body, {401, 200, 403, 200, 200, 403, 403}},
        {"POST", "/api/v1/jobs/*/*/*/update/*", job + "/update/pause", "", {401, 404, 403, 404, 404, 403, 403}},
        {"POST", "/api/v1/jobs/*/*/*/restart", nope + "/restart", "", {401, 404, 403, 404, 404, 403, 403}},
        {"POST", "/api/v1/jobs/*/*/*/instances", nope + "/instances", R"({"instance": 0, "count": 1})", {401, 404, 403, 404, 404, 403, 403}},
        {"GET", "/api/v1/jobs/*/*/*/updates", job + "/updates", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/jobs/*/*/*/updates/*", job + "/updates/latest", "", {401, 404, 404, 404, 404, 404, 404}},
        {"GET", "/api/v1/updates", "/api/v1/updates", "", {401, 200, 200, 200, 200, 200, 200}},
        // Metrics read like the job and agent lists: any identity, agents' tokens included.
        {"GET", "/metrics", "/metrics", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/vars", "/vars", "", {401, 200, 200, 200, 200, 200, 200}},
        {"GET", "/vars.json", "/vars.json", "", {401, 200, 200, 200, 200, 200, 200}},
        // Cron jobs: scheduling again replaces the schedule, so every allowed caller gets 200.
        {"POST", "/api/v1/cron", "/api/v1/cron", cron_spec("devel"), {401, 200, 403, 200, 200, 403, 403}},
        {"POST", "/api/v1/cron", "/api/v1/cron", cron_spec("prod"), {401, 403, 403, 200, 200, 403, 403}},
        {"GET", "/api/v1/cron/*/*/*", "/api/v1/cron/www/devel/nightly", "", {401, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/cron/*/*/*/start", "/api/v1/cron/www/devel/nope/start", "", {401, 404, 403, 404, 404, 403, 403}},
        {"POST", "/api/v1/cron/*/*/*/start", "/api/v1/cron/www/prod/nope/start", "", {401, 403, 403, 404, 404, 403, 403}},
        {"POST", "/api/v1/cron/*/*/*/deschedule", "/api/v1/cron/www/devel/nope/deschedule", "", {401, 404, 403, 404, 404, 403, 403}},
        // A task on its agent reads like the job (the agent applies its own grants); no such task: 404.
        {"GET", "/api/v1/jobs/*/*/*/tasks/*/agent", job + "/tasks/nope/agent", "", {401, 404, 404, 404, 404, 404, 404}},
        {"GET", "/api/v1/jobs/*/*/*/tasks/*/files", job + "/tasks/nope/files", "", {401, 404, 404, 404, 404, 404, 404}},
        {"GET", "/api/v1/jobs/*/*/*/tasks/*/logs/*", job + "/tasks/nope/logs/hello", "", {401, 404, 404, 404, 404, 404, 404}},
        // Backups: admins only. A name that is no backup's is the handler's 400 (no restore).
        {"GET", "/api/v1/admin/backups", "/api/v1/admin/backups", "", {401, 403, 403, 200, 403, 403, 403}},
        {"POST", "/api/v1/admin/backups", "/api/v1/admin/backups", "", {401, 403, 403, 200, 403, 403, 403}},
        {"POST", "/api/v1/admin/backups/*/restore", "/api/v1/admin/backups/nope/restore", "", {401, 403, 403, 400, 403, 403, 403}},
        // Its usage samples are the scheduler's own: read like the job.
        {"GET", "/api/v1/jobs/*/*/*/tasks/*/usage", job + "/tasks/nope/usage", "", {401, 404, 404, 404, 404, 404, 404}},
        // The UI's pages and assets hold no data: open; their data calls are the routes above.
        {"GET", "/scheduler", "/scheduler", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/scheduler/agents", "/scheduler/agents", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/scheduler/updates", "/scheduler/updates", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/scheduler/assets/*", "/scheduler/assets/app.js", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/scheduler/assets/*", "/scheduler/assets/nope.js", "", {404, 404, 404, 404, 404, 404, 404}},
        {"GET", "/scheduler/*/*/*", "/scheduler/www/prod/hello", "", {200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/scheduler/*/*/*/*", "/scheduler/www/prod/hello/0", "", {200, 200, 200, 200, 200, 200, 200}},
    };
    // clang-format on
  }

  std::string agent_a_;
  std::array<std::unique_ptr<net::HttpClient>, kCallers> clients_;
};

TEST_F(RouteAuthTest, EveryRouteHasCases) {
  std::set<std::pair<std::string, std::string>> covered, routes;
  for (const Case& c : cases()) covered.insert({c.method, c.pattern});
  for (const ServiceRoute& r : scheduler_routes()) {
    routes.insert({r.method, r.path});
    EXPECT_TRUE(covered.count({r.method, r.path}))
        << r.method << " " << r.path << " has no case in the authorization matrix";
  }
  for (const auto& [method, pattern] : covered)
    EXPECT_TRUE(routes.count({method, pattern})) << method << " " << pattern << " is no route";
}

TEST_F(RouteAuthTest, EveryRouteAnswersEachCallerExactly) {
  for (const Case& c : cases()) {
    for (int who = 0; who < kCallers; ++who) {
      auto r = call(static_cast<Caller>(who), c.method, c.path, c.body);
      EXPECT_EQ(r.status, c.expect[who])
          << c.method << " " << c.path << " as " << kCallerNames[who] << ": " << r.body;
    }
  }
}

// A change records its caller as the guard authenticated it: a client cannot name another
// user through the header the guard uses to pass the caller on.
TEST_F(RouteAuthTest, AChangeRecordsItsAuthenticatedCallerNotAClaimedOne) {
  auto job = parse_json(call(kRoleA, "GET", "/api/v1/jobs/www/devel/hello", "").body);
  EXPECT_EQ(job->at("job").at("created_by").as_string(), "admin");
  clients_[kRoleA]->set_header(kCallerHeader, "admin");
  auto restart = call(kRoleA, "POST", "/api/v1/jobs/www/devel/hello/restart", "");
  ASSERT_EQ(restart.status, 200) << restart.body;
  EXPECT_EQ(parse_json(restart.body)->at("update").at("user").as_string(), "alice");
}

TEST_F(RouteAuthTest, RefusalsSayWhoAndWhatIsMissing) {
  auto anon = call(kAnonymous, "GET", "/api/v1/jobs", "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_NE(anon.body.find("UNAUTHENTICATED"), std::string::npos) << anon.body;
  clients_[kAnonymous]->set_header("Authorization", "Bearer not-a-token");
  auto bad = call(kAnonymous, "GET", "/api/v1/jobs", "");
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.body.find("the token matches no user"), std::string::npos) << bad.body;

  auto bob = call(kRoleB, "POST", "/api/v1/jobs/www/devel/hello/kill", "");
  EXPECT_EQ(bob.status, 403);
  EXPECT_NE(bob.body.find("user 'bob' has no grant for role 'www'"), std::string::npos) << bob.body;
  auto alice = call(kRoleA, "POST", "/api/v1/jobs/www/prod/hello/kill", "");
  EXPECT_NE(alice.body.find("user 'alice' has no prod grant for role 'www'"), std::string::npos)
      << alice.body;
  auto b = call(kAgentB, "POST", "/agent/v1/poll", R"({"agent_id": ")" + agent_a_ + R"("})");
  EXPECT_NE(b.body.find("user 'agent-b' may not act as the agent of host 'host-a'"),
            std::string::npos)
      << b.body;
  // host-b's token cannot take over host-a's agent id, nor register as host-a.
  auto hijack = call(kAgentB, "POST", "/agent/v1/register", register_body(agent_a_, "host-b"));
  EXPECT_EQ(hijack.status, 403);
  EXPECT_NE(hijack.body.find("user 'agent-b' may not act as the agent of host 'host-a'"),
            std::string::npos)
      << hijack.body;
  EXPECT_EQ(call(kAgentB, "POST", "/agent/v1/register", register_body("", "host-a")).status, 403);
  // host-a's agent is still the one registered: nobody took it over.
  auto agents = parse_json(call(kAdmin, "GET", "/api/v1/agents", "").body);
  ASSERT_TRUE(agents.ok());
  const auto& list = agents->at("agents").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("hostname"), "host-a");
  EXPECT_EQ(list[0].at("status"), "ACTIVE");
}

TEST(SchedulerBindTest, RefusesAnOpenNonLoopbackAddressWithoutInsecure) {
  borealis::testing::TempDir dir("borealis-bind");
  SchedulerOptions o;
  o.store = "sqlite://" + (dir / "state.db");
  o.bind_address = "0.0.0.0";
  o.http_port = 0;
  SchedulerService open(o);
  Status st = open.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--bind-address: refusing to listen on 0.0.0.0 without "
                              "authentication"),
            std::string::npos)
      << st.message();
  o.insecure = true;
  SchedulerService insecure(o);
  EXPECT_TRUE(insecure.start().ok());
  insecure.stop();
}

}  // namespace
}  // namespace borealis::scheduler

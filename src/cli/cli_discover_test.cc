// `borealis job discover` against a real in-process cluster: one line per RUNNING member
// (its primary or named port), the API's JSON, and the errors of a job without a ServerSet.
#include "api/discovery.h"
#include "cli/cli_fixture.h"

namespace borealis::cli::testing {
namespace {

// hello, announcing its `web` port (alias `aurora`) with a second port `admin`.
json::object announced_hello() {
  json::object spec = hello_spec(2,
                                 "echo {{thermos.ports[web]}} {{thermos.ports[admin]}}; "
                                 "exec sleep 600");
  spec["announce"] = json::object{{"primary_port", "web"}, {"portmap", {{"aurora", "web"}}}};
  return spec;
}

// The active tasks' ports of `name` (web or admin) as "host:port" lines, by instance.
std::string port_lines(const std::map<int64_t, json::object>& tasks, const std::string& name) {
  std::string out;
  for (const auto& [_, t] : tasks)
    out += str(t.at("host")) + ":" + std::to_string(t.at("ports").at(name).as_int64()) + "\n";
  return out;
}

TEST_F(CliTest, DiscoverPrintsEachRunningMembersEndpoint) {
  create_running(announced_hello());
  auto tasks = hello_tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(run_ok({"job", "discover", kHelloKey}).out, port_lines(tasks, "web"));
  EXPECT_EQ(run_ok({"job", "discover", kHelloKey, "--endpoint", "admin"}).out,
            port_lines(tasks, "admin"));
  EXPECT_EQ(run_ok({"job", "discover", kHelloKey, "--endpoint", "nope"}).out, "");

  auto json = parse_json(run_ok({"job", "discover", kHelloKey, "--output", "json"}).out);
  ASSERT_TRUE(json.ok()) << json.status().to_string();
  auto d = api::decode<api::Discovery>(*json);
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  ASSERT_EQ(d->members.size(), 2u);
  for (const api::ServersetMember& m : d->members) {
    const json::object& t = tasks.at(m.shard);
    EXPECT_EQ(m,
              api::serverset_member(str(t.at("host")),
                                    json::value_to<std::map<std::string, int64_t>>(t.at("ports")),
                                    "web", m.shard));
    EXPECT_EQ(m.additional_endpoints.at("aurora"), m.service_endpoint);
  }
  // Four commands, four requests: the query is no part of the recorded path.
  EXPECT_EQ(requests_to("GET", "/api/v1/discovery/www-data/prod/hello").size(), 4u);
}

TEST_F(CliTest, DiscoverFailsForAJobWithoutAServerset) {
  add_hello(1);
  Run r = run_failed({"job", "discover", kHelloKey});
  EXPECT_THAT(r.err, HasSubstr("job devcluster/www-data/prod/hello does not announce"));
  EXPECT_EQ(r.out, "");
  r = run_failed({"job", "discover", "devcluster/www-data/prod/nope"});
  EXPECT_THAT(r.err, HasSubstr("job devcluster/www-data/prod/nope does not exist"));
  EXPECT_EQ(run({"job", "discover", "devcluster/www-data/prod/hello/0"}).code, kExitUsage);
}

}  // namespace
}  // namespace borealis::cli::testing

#include "jobspec/ports.h"

#include <gtest/gtest.h>

#include "jobspec/job_spec_json.h"
#include "jobspec/validate.h"

namespace borealis::jobspec {
namespace {

JobSpec job_with(const std::string& cmdline, const std::string& announce) {
  auto v = parse_json(R"({"role": "www-data", "environment": "prod", "cluster": "c",
    "announce": )" + announce +
                      R"(, "task": {"processes": [{"name": "a", "cmdline": ")" + cmdline +
                      R"("}], "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576}}})");
  EXPECT_TRUE(v.ok()) << v.status().to_string();
  auto j = job_spec_from_json(*v);
  EXPECT_TRUE(j.ok()) << j.status().to_string();
  return j.ok() ? *j : JobSpec{};
}

TEST(PortPlanTest, AnAliasSharesTheNumberOfItsTarget) {
  JobSpec j = job_with("serve {{thermos.ports[alias]}}", R"({"portmap": {"alias": "http"}})");
  PortPlan plan = port_plan(j);
  EXPECT_EQ(plan.dynamic, (std::vector<std::string>{"http"}));
  EXPECT_TRUE(plan.fixed.empty());
  EXPECT_EQ(plan.aliases, (std::map<std::string, std::string>{{"alias", "http"}}));
  EXPECT_EQ(task_port_map(plan, {{"http", 29000}}),
            (std::map<std::string, int64_t>{{"alias", 29000}, {"http", 29000}}));
}

TEST(PortPlanTest, TheDefaultPortmapAliasesAuroraToThePrimaryPort) {
  JobSpec j = job_with("serve {{thermos.ports[aurora]}}", R"({"primary_port": "web"})");
  PortPlan plan = port_plan(j);
  EXPECT_EQ(plan.dynamic, (std::vector<std::string>{"web"}));
  EXPECT_EQ(task_port_map(plan, {{"web", 31005}}),
            (std::map<std::string, int64_t>{{"aurora", 31005}, {"web", 31005}}));
}

TEST(PortPlanTest, TheDefaultPortmapOfASpecBuiltInCodeBindsThePrimaryPort) {
  JobSpec j = job_with("serve {{thermos.ports[http]}}", R"({})");
  j.announce = Announcer{};  // portmap {'aurora': '{{primary_port}}'}, unbound
  EXPECT_EQ(port_plan(j).dynamic, (std::vector<std::string>{"http"}));
  EXPECT_EQ(port_plan(j).aliases, (std::map<std::string, std::string>{{"aurora", "http"}}));
}

TEST(PortPlanTest, AliasesChainToTheFinalName) {
  JobSpec j = job_with("serve {{thermos.ports[a]}} {{thermos.ports[b]}}",
                       R"({"portmap": {"a": "b", "b": "http", "aurora": "a"}})");
  PortPlan plan = port_plan(j);
  EXPECT_EQ(plan.dynamic, (std::vector<std::string>{"http"}));
  EXPECT_EQ(plan.aliases,
            (std::map<std::string, std::string>{{"a", "http"}, {"aurora", "http"}, {"b", "http"}}));
  EXPECT_EQ(task_port_map(plan, {{"http", 7}}).size(), 4u);
}

TEST(PortPlanTest, ANumberIsAFixedPortHeldOnceUnderOneName) {
  JobSpec j = job_with("serve {{thermos.ports[admin]}} {{thermos.ports[ops]}}",
                       R"({"portmap": {"admin": "8080", "ops": "admin", "other": "8080"}})");
  PortPlan plan = port_plan(j);
  EXPECT_TRUE(plan.dynamic.empty());  // a portmap given replaces the default 'aurora' alias
  EXPECT_EQ(plan.fixed, (std::vector<std::pair<std::string, uint16_t>>{{"admin", 8080}}));
  EXPECT_EQ(plan.aliases,
            (std::map<std::string, std::string>{{"ops", "admin"}, {"other", "admin"}}));
  EXPECT_EQ(task_port_map(plan, {{"admin", 8080}}),
            (std::map<std::string, int64_t>{{"admin", 8080}, {"ops", 8080}, {"other", 8080}}));
}

TEST(PortPlanTest, ValidationRefusesCyclesAndPortsOutOfRange) {
  JobSpec cycle = job_with("x", R"({"primary_port": "a", "portmap": {"a": "b", "b": "a"}})");
  EXPECT_EQ(validate_job_spec(cycle).message(),
            "announce.portmap: port aliases form a cycle through 'a'");
  JobSpec zero = job_with("x", R"({"portmap": {"admin": "0"}})");
  EXPECT_EQ(validate_job_spec(zero).message(),
            "announce.portmap[admin]: a fixed port must be 1..65535, got 0");
  JobSpec big = job_with("x", R"({"portmap": {"admin": "70000"}})");
  EXPECT_EQ(validate_job_spec(big).message(),
            "announce.portmap[admin]: a fixed port must be 1..65535, got 70000");
  EXPECT_TRUE(check_portmap({{"http", "http"}, {"aurora", "http"}, {"admin", "65535"}}).ok());
}

}  // namespace
}  // namespace borealis::jobspec

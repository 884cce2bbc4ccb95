#include "taskcontract/runtime_refs.h"

#include <gtest/gtest.h>

namespace borealis::taskcontract {
namespace {

LaunchSpec spec_with(std::vector<std::string> cmdlines) {
  LaunchSpec s;
  s.task_id = "www-data-prod-hello-3-abc";
  s.instance = 3;
  s.hostname = "agent-7";
  s.ports = {{"http", 31000}, {"health", 31001}};
  int i = 0;
  for (auto& c : cmdlines) {
    ProcessSpec p;
    p.name = "p" + std::to_string(i++);
    p.cmdline = std::move(c);
    s.task.processes.push_back(std::move(p));
  }
  return s;
}

TEST(BindingTest, BindsEveryRuntimeReference) {
  LaunchSpec s = spec_with({
      "run --port={{thermos.ports[http]}} --health={{ thermos.ports[health] }}",
      "echo {{thermos.task_id}} {{mesos.instance}} {{mesos.hostname}} {{thermos.user}}",
      "awk '{print $1}' && echo {{ not a ref",  // unmatched braces are plain text
  });
  ASSERT_TRUE(bind_runtime_references(&s, "www-data").ok());
  EXPECT_EQ(s.task.processes[0].cmdline, "run --port=31000 --health=31001");
  EXPECT_EQ(s.task.processes[1].cmdline, "echo www-data-prod-hello-3-abc 3 agent-7 www-data");
  EXPECT_EQ(s.task.processes[2].cmdline, "awk '{print $1}' && echo {{ not a ref");
}

// The scheduler puts portmap aliases and fixed ports in task.json's map: they bind as
// any name does.
TEST(BindingTest, BindsPortAliasesAndFixedPortsFromTheMap) {
  LaunchSpec s =
      spec_with({"serve --port={{thermos.ports[alias]}} --admin={{thermos.ports[admin]}}"});
  s.ports = {{"http", 31000}, {"alias", 31000}, {"admin", 8080}};
  ASSERT_TRUE(bind_runtime_references(&s, "u").ok());
  EXPECT_EQ(s.task.processes[0].cmdline, "serve --port=31000 --admin=8080");
}

TEST(BindingTest, UnboundReferenceIsAnErrorNamingIt) {
  LaunchSpec s = spec_with({"true", "run --port={{thermos.ports[admin]}} {{profile.version}}"});
  Status st = bind_runtime_references(&s, "u");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "task.processes[1].cmdline (process 'p1'): unbound references "
            "{{thermos.ports[admin]}}, {{profile.version}}");
}

TEST(BindingTest, MalformedReferenceIsAnError) {
  LaunchSpec s = spec_with({"echo {{thermos..task_id}}"});
  Status st = bind_runtime_references(&s, "u");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("task.processes[0].cmdline (process 'p0'): bad reference"),
            std::string::npos)
      << st.message();
}

TEST(RuntimeReferencesTest, TheListIsTheOneTheBinderBinds) {
  for (const char* ref : {"thermos.ports[http]", "thermos.task_id", "thermos.user",
                          "mesos.instance", "mesos.hostname"})
    EXPECT_TRUE(is_runtime_reference(ref)) << ref;
  for (const char* ref :
       {"thermos.ports", "thermos.ports[]", "thermos.ports[a][b]", "mesos.role", "profile.x"})
    EXPECT_FALSE(is_runtime_reference(ref)) << ref;
  RuntimeFacts facts{"t-1", 4, "host", "www-data", {{"http", 8080}}};
  for (const auto& [ref, value] : runtime_bindings(facts))
    EXPECT_TRUE(is_runtime_reference(ref)) << ref;
  EXPECT_EQ(runtime_bindings(facts),
            (std::map<std::string, std::string>{{"mesos.hostname", "host"},
                                                {"mesos.instance", "4"},
                                                {"thermos.ports[http]", "8080"},
                                                {"thermos.task_id", "t-1"},
                                                {"thermos.user", "www-data"}}));
}

TEST(RuntimeReferencesTest, CheckRefusesAnyOtherReference) {
  EXPECT_TRUE(check_runtime_references("run {{ thermos.ports[http] }} {{mesos.instance}}").ok());
  EXPECT_EQ(check_runtime_references("echo {{profile.version}}").message(),
            "unbound reference {{profile.version}}: only thermos.ports[NAME], thermos.task_id, "
            "thermos.user, mesos.instance and mesos.hostname are bound at runtime");
  EXPECT_FALSE(check_runtime_references("echo {{thermos..task_id}}").ok());
}

}  // namespace
}  // namespace borealis::taskcontract

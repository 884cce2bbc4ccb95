#include "runner/binding.h"

#include <gtest/gtest.h>

namespace borealis::runner {
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

}  // namespace
}  // namespace borealis::runner

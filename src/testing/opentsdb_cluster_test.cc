// --opentsdb-url end to end (docs/metrics.md, "OpenTSDB"): a real agent running two tasks
// pushes their CPU, memory and disk to a fake OpenTSDB, tagged with each task's role,
// environment, job, instance and the agent's host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "agent/fake_opentsdb.h"
#include "testing/cluster.h"
#include "testing/sleeper_job.h"
#include "testing/wait_until.h"

namespace borealis::testing {
namespace {

TEST(OpenTsdbClusterTest, TheAgentPushesEachRunningTasksFiguresWithItsTags) {
  agent::testing::FakeOpenTsdb tsdb;
  ClusterOptions o;
  o.tune_agent = [&](agent::AgentConfig& c) {
    c.usage_interval_ms = 200;
    c.disk_check_interval_ms = 200;
    c.opentsdb.url = tsdb.url();
    c.opentsdb.interval_ms = 200;
  };
  auto c = Cluster::start(std::move(o));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  std::unique_ptr<Cluster> cluster = std::move(c).value();
  ASSERT_TRUE(cluster->create_job(sleeper_job(2)).ok());
  ASSERT_TRUE(cluster->wait_running(kSleeperJob, 2).ok());

  // "metric instance" of each point pushed, every point's other tags checked.
  std::set<std::string> seen;
  std::string last;
  bool all = wait_until([&] {
    for (const std::string& body : tsdb.bodies()) {
      last = body;
      auto doc = parse_json(body);
      EXPECT_TRUE(doc.ok() && doc->is_array()) << body;
      if (!doc.ok() || !doc->is_array()) return false;
      EXPECT_LE(doc->as_array().size(), 50u);
      for (const json::value& p : doc->as_array()) {
        const json::object& tags = p.at("tags").as_object();
        EXPECT_EQ(tags.at("role").as_string(), "www-data");
        EXPECT_EQ(tags.at("environment").as_string(), "test");
        EXPECT_EQ(tags.at("job").as_string(), "sleeper");
        EXPECT_EQ(tags.at("host").as_string(), cluster->agent_hostnames().at(0));
        EXPECT_EQ(tags.size(), 5u);
        EXPECT_GE(p.at("value").to_number<double>(), 0);
        seen.insert(std::string(p.at("metric").as_string()) + " " +
                    std::string(tags.at("instance").as_string()));
      }
    }
    return seen.size() == 6;
  });
  EXPECT_TRUE(all) << "last body: " << last;
  EXPECT_EQ(seen,
            (std::set<std::string>{"borealis.task.cpu_seconds 0", "borealis.task.cpu_seconds 1",
                                   "borealis.task.memory_bytes 0", "borealis.task.memory_bytes 1",
                                   "borealis.task.disk_bytes 0", "borealis.task.disk_bytes 1"}));
}

}  // namespace
}  // namespace borealis::testing

// A task the agent cannot launch ends FAILED with the reason, counts toward
// max_task_failures and is relaunched with backoff: it never loops (issue 9).
#include <gtest/gtest.h>

#include <chrono>

#include "testing/cluster.h"

namespace borealis::testing {
namespace {

json::value job(const std::string& name, bool service) {
  json::object process{{"name", "main"}, {"cmdline", "sleep 600"}};
  return json::object{
      {"name", name},
      {"role", "www-data"},
      {"environment", "test"},
      {"cluster", "devcluster"},
      {"instances", 1},
      {"service", service},
      {"max_task_failures", 2},
      {"task", json::object{{"processes", json::array{process}},
                            {"resources",
                             json::object{{"cpu", 0.25}, {"ram", 16 << 20}, {"disk", 16 << 20}}}}}};
}

ClusterOptions agents_without_a_runner() {
  ClusterOptions o;
  o.tune_agent = [](agent::AgentConfig& c) { c.runner_path = "/nonexistent/borealis-runner"; };
  return o;
}

bool mentions(const json::value& task, const std::string& text) {
  return std::string(task.at("message").as_string()).find(text) != std::string::npos;
}

TEST(UnlaunchableTest, ABatchJobFailsForGoodAfterMaxTaskFailures) {
  auto cluster = Cluster::start(agents_without_a_runner());
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  ASSERT_TRUE(c.create_job(job("batch", false)).ok());
  Status ended = c.wait_tasks(
      "www-data/test/batch",
      [](const json::array& ts) {
        if (ts.size() != 2) return false;
        for (const auto& t : ts)
          if (t.at("status") != "FAILED" || !mentions(t, "cannot start runner")) return false;
        return true;
      },
      "two FAILED tasks naming the launch error and no active one");
  EXPECT_TRUE(ended.ok()) << ended.to_string();
}

// What can never launch is refused at create instead: a job key whose task ids would not
// fit a file name.
TEST(UnlaunchableTest, AJobKeyTooLongForATaskIdIsA400AtCreate) {
  auto cluster = Cluster::start();
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  json::value spec = job("svc", true);
  spec.as_object()["role"] = std::string(220, 'r');
  auto created = (*cluster)->create_job(spec);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("HTTP 400"), std::string::npos)
      << created.status().message();
  EXPECT_NE(created.status().message().find("the limit is 205"), std::string::npos)
      << created.status().message();
}

TEST(UnlaunchableTest, AServiceIsRelaunchedWithBackoffNotInALoop) {
  auto cluster = Cluster::start(agents_without_a_runner());
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.create_job(job("svc", true)).ok());
  Status counted = c.wait_tasks(
      "www-data/test/svc",
      [](const json::array& ts) {
        return !ts.empty() && ts[0].at("status") == "THROTTLED" &&
               ts[0].at("failure_count").to_number<int64_t>() >= 4 &&
               mentions(ts[0], "rescheduled after FAILED");
      },
      "the fifth task THROTTLED after four failed launches");
  ASSERT_TRUE(counted.ok()) << counted.to_string();
  // The test cluster's waits double from 200 ms: four launches take at least
  // 200 + 400 + 800 ms; without backoff they would take a few ticks of 20 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
}

}  // namespace
}  // namespace borealis::testing

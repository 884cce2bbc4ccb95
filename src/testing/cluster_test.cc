// The test cluster itself: real agents run real tasks, spread and killed as the scheduler
// says, and a scheduler restart on a SQLite store keeps the job.
#include "testing/cluster.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "scheduler/server/scheduler_service.h"
#include "testing/sleeper_job.h"

namespace borealis::testing {
namespace {

constexpr const char* kJob = kSleeperJob;

std::map<std::string, int> tasks_per_host(const json::array& tasks) {
  std::map<std::string, int> out;
  for (const auto& t : tasks)
    if (t.at("status") == "RUNNING") ++out[std::string(t.at("host").as_string())];
  return out;
}

ClusterOptions two_agents(StoreKind store = StoreKind::kMemory) {
  ClusterOptions o;
  o.agents = {AgentSpec{}, AgentSpec{}};
  o.store = store;
  return o;
}

TEST(ClusterTest, RunsAJobSpreadOverTwoAgentsAndKillsIt) {
  auto cluster = Cluster::start(two_agents());
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  EXPECT_EQ(c.agent_hostnames(), (std::vector<std::string>{"agent-1", "agent-2"}));
  // What the CLI reads to find it.
  std::ifstream in(c.write_clusters_json({json::object{{"name", "other"}, {"zk", "zk:2181"}}}));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto clusters = parse_json(text);
  ASSERT_TRUE(clusters.ok()) << text;
  EXPECT_EQ(*clusters,
            (json::value{json::object{{"name", "devcluster"}, {"scheduler_uri", c.scheduler_url()}},
                         json::object{{"name", "other"}, {"zk", "zk:2181"}}}));

  auto created = c.create_job(sleeper_job(4));
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  ASSERT_TRUE(c.wait_running(kJob, 4).ok());
  auto tasks = c.tasks(kJob);
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(tasks_per_host(*tasks), (std::map<std::string, int>{{"agent-1", 2}, {"agent-2", 2}}));

  auto killed =
      c.api("POST", "/api/v1/jobs/" + std::string(kJob) + "/kill", R"({"instances": [1]})");
  ASSERT_TRUE(killed.ok()) << killed.status().to_string();
  EXPECT_EQ(killed->at("killed").as_array().size(), 1u);
  Status ended = c.wait_tasks(
      kJob,
      [](const json::array& ts) {
        for (const auto& t : ts)
          if (t.at("instance_id") == 1 && t.at("status") == "KILLED") return true;
        return false;
      },
      "instance 1 KILLED");
  EXPECT_TRUE(ended.ok()) << ended.to_string();
  EXPECT_TRUE(c.wait_running(kJob, 3).ok());
}

TEST(ClusterTest, ARestartedSchedulerKeepsTheJobInItsSqliteStore) {
  auto cluster = Cluster::start(two_agents(StoreKind::kSqlite));
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  ASSERT_TRUE(c.create_job(sleeper_job(2)).ok());
  ASSERT_TRUE(c.wait_running(kJob, 2).ok());
  auto before = c.tasks(kJob);
  ASSERT_TRUE(before.ok());
  const std::string url = c.scheduler_url();

  Status restarted = c.restart_scheduler();
  ASSERT_TRUE(restarted.ok()) << restarted.to_string();
  EXPECT_EQ(c.scheduler_url(), url);
  ASSERT_TRUE(c.wait_running(kJob, 2).ok());
  auto after = c.tasks(kJob);
  ASSERT_TRUE(after.ok());
  // The same tasks, re-attached: nothing was restarted.
  EXPECT_EQ(after->at(0).at("task_id"), before->at(0).at("task_id"));
  EXPECT_EQ(after->at(1).at("task_id"), before->at(1).at("task_id"));
}

TEST(ClusterTest, TheMemoryStoreOutlivesTheScheduler) {
  ClusterOptions o;
  auto cluster = Cluster::start(o);
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  ASSERT_TRUE(c.create_job(sleeper_job(1)).ok());
  ASSERT_TRUE(c.wait_running(kJob, 1).ok());
  c.stop_scheduler();
  EXPECT_FALSE(c.tasks(kJob).ok());
  ASSERT_TRUE(c.start_scheduler().ok());
  EXPECT_TRUE(c.wait_running(kJob, 1).ok());
}

// Processes whose working directory is under `dir`.
int processes_under(const std::string& dir) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::error_code link_ec;
    std::string cwd = std::filesystem::read_symlink(e.path() / "cwd", link_ec).string();
    if (!link_ec && cwd.rfind(dir + "/", 0) == 0) ++n;
  }
  return n;
}

TEST(ClusterTest, LeavesNoTaskProcessBehind) {
  auto cluster = Cluster::start();
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  ASSERT_TRUE((*cluster)->create_job(sleeper_job(2)).ok());
  ASSERT_TRUE((*cluster)->wait_running(kJob, 2).ok());
  const std::string dir = (*cluster)->dir();
  EXPECT_GE(processes_under(dir), 2);  // the tasks' processes
  cluster->reset();
  EXPECT_EQ(processes_under(dir), 0);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// Wall time a day behind the system's: thread-safe, as the scheduler's threads need.
class DayBehindClock final : public Clock {
 public:
  TimeMs now_ms() const override { return SystemClock::instance().now_ms() - kDayMs; }
  static constexpr TimeMs kDayMs = 24 * 3600 * 1000;
};

TEST(ClusterTest, TheSchedulerReadsTheInjectedClock) {
  DayBehindClock clock;
  ClusterOptions o;
  o.clock = &clock;
  auto cluster = Cluster::start(o);
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  const TimeMs before = clock.now_ms();
  ASSERT_TRUE(c.create_job(sleeper_job(1)).ok());
  ASSERT_TRUE(c.wait_running(kJob, 1).ok());
  auto job = c.api("GET", "/api/v1/jobs/" + std::string(kJob));
  ASSERT_TRUE(job.ok());
  const TimeMs created = job->at("job").at("created_ms").as_int64();
  EXPECT_GE(created, before);
  EXPECT_LE(created, clock.now_ms());
  auto agents = c.api("GET", "/api/v1/agents");
  ASSERT_TRUE(agents.ok());
  EXPECT_LE(agents->at("agents").at(0).at("last_seen_ms").as_int64(), clock.now_ms());
}

}  // namespace
}  // namespace borealis::testing

// A task attacks its own task directory on a real agent with real runners (issue 9): it
// tries to replace .runner/ with a link to /etc or a directory of its own, to plant a FIFO
// as its checkpoint and to point health_check.out at a host file. Every attempt fails,
// nothing outside the task directory changes, and the agent keeps serving other tasks.
// Then the test itself, as root, plants what the task could not, to show that the agent
// follows none of it either.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/agent_config.h"
#include "testing/cluster.h"
#include "testing/wait_until.h"

namespace borealis::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_regular(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

json::value job(const std::string& name, const std::string& cmdline,
                const std::string& health_command) {
  json::object process{{"name", "main"}, {"cmdline", cmdline}};
  return json::object{
      {"name", name},
      {"role", "www-data"},
      {"environment", "test"},
      {"cluster", "devcluster"},
      {"instances", 1},
      {"service", true},
      {"health_check_config",
       json::object{{"health_checker",
                     json::object{{"shell", json::object{{"shell_command", health_command}}}}},
                    {"initial_interval_secs", 0.1},
                    {"interval_secs", 0.1}}},
      {"task", json::object{{"processes", json::array{process}},
                            {"user", "nobody"},
                            {"resources",
                             json::object{{"cpu", 0.25}, {"ram", 16 << 20}, {"disk", 16 << 20}}}}}};
}

// Each attempt prints "DONE: ..." if it worked and "refused: ..." if not.
std::string attack_script(const std::string& host_file) {
  return "cd .. && try() { if \"$@\" 2>/dev/null; then echo \"DONE: $*\"; else echo \"refused: "
         "$*\"; fi; }; {\n"
         "try mv .runner stolen\n"
         "try ln -s /etc .runner-etc\n"
         "try mv -T .runner-etc .runner\n"
         "try mkdir own-runner\n"
         "try rm -rf .runner\n"
         "try rm -f .runner/checkpoint\n"
         "try mkfifo .runner/checkpoint\n"
         "try ln -sf " +
         host_file +
         " .runner/health_check.out\n"
         "try touch .logs/planted\n"
         "} > sandbox/attempts; touch sandbox/attempted; exec sleep 600";
}

TEST(HostileSandboxTest, ATaskCannotTakeOverItsTaskDirectoryNorLeadTheAgentOut) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: tasks run as nobody";
  ClusterOptions o;
  o.tune_agent = [](agent::AgentConfig& c) { c.run_tasks_as_agent_user = false; };
  auto cluster = Cluster::start(o);
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  Cluster& c = **cluster;
  // The task's user must be able to pass through to its work dir.
  fs::permissions(c.dir(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  const std::string host_file = c.dir() + "/host-file";
  std::ofstream(host_file) << "precious";
  ::chmod(host_file.c_str(), 0644);

  ASSERT_TRUE(c.create_job(job("attacker", attack_script(host_file), "test -f attempted")).ok());
  Status running = c.wait_running("www-data/test/attacker", 1);
  ASSERT_TRUE(running.ok()) << running.to_string();
  auto tasks = c.tasks("www-data/test/attacker");
  ASSERT_TRUE(tasks.ok());
  const std::string task_dir =
      c.dir() + "/agents/agent-1/sandboxes/" + std::string(tasks->at(0).at("task_id").as_string());

  std::string attempts = slurp(task_dir + "/sandbox/attempts");
  ASSERT_NE(attempts.find("refused: mv .runner stolen"), std::string::npos) << attempts;
  EXPECT_EQ(attempts.find("DONE"), std::string::npos) << attempts;
  EXPECT_NE(attempts.find("refused: mkfifo .runner/checkpoint"), std::string::npos) << attempts;
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(task_dir + "/.runner")));
  EXPECT_TRUE(is_regular(task_dir + "/.runner/checkpoint"));
  EXPECT_TRUE(is_regular(task_dir + "/.runner/health_check.out"));
  EXPECT_FALSE(fs::exists(task_dir + "/own-runner"));
  EXPECT_FALSE(fs::exists(task_dir + "/.logs/planted"));
  EXPECT_EQ(slurp(host_file), "precious");

  // Suppose the task had got in. A link in place of health_check.out is replaced by the
  // next check, never written through.
  const std::string out = task_dir + "/.runner/health_check.out";
  ASSERT_EQ(::unlink(out.c_str()), 0);
  ASSERT_EQ(::symlink(host_file.c_str(), out.c_str()), 0);
  EXPECT_TRUE(wait_until([&] { return is_regular(out); }, std::chrono::seconds(10)));
  EXPECT_EQ(slurp(host_file), "precious");

  // A FIFO as the checkpoint (the runner keeps writing the real one it holds open), and
  // .runner/ swapped for a link to a host directory: the agent reads neither and creates
  // nothing there (the attacker's checks now fail), and a job created afterwards still
  // reaches RUNNING on this agent.
  const std::string runner_dir = task_dir + "/.runner";
  ASSERT_EQ(::rename((runner_dir + "/checkpoint").c_str(), (runner_dir + "/real").c_str()), 0);
  ASSERT_EQ(::mkfifo((runner_dir + "/checkpoint").c_str(), 0600), 0);
  ASSERT_TRUE(c.create_job(job("bystander1", "sleep 600", "true")).ok());
  running = c.wait_running("www-data/test/bystander1", 1);
  EXPECT_TRUE(running.ok()) << running.to_string();

  const std::string host_dir = c.dir() + "/host-dir";
  fs::create_directory(host_dir);
  ASSERT_EQ(::rename(runner_dir.c_str(), (task_dir + "/runner-aside").c_str()), 0);
  ASSERT_EQ(::symlink(host_dir.c_str(), runner_dir.c_str()), 0);
  ASSERT_TRUE(c.create_job(job("bystander2", "sleep 600", "true")).ok());
  running = c.wait_running("www-data/test/bystander2", 1);
  EXPECT_TRUE(running.ok()) << running.to_string();
  // The attacker's next check could not open its output there, so it failed.
  Status refused = c.wait_tasks(
      "www-data/test/attacker",
      [](const json::array& ts) {
        for (const auto& t : ts)
          if (t.at("status") == "FAILED" &&
              std::string(t.at("message").as_string()).find("is a symlink") != std::string::npos)
            return true;
        return false;
      },
      "the attacker FAILED by its health check");
  EXPECT_TRUE(refused.ok()) << refused.to_string();
  EXPECT_TRUE(fs::is_empty(host_dir));
  EXPECT_EQ(slurp(host_file), "precious");

  // Put things back so the cluster finds the runner to stop it.
  ASSERT_EQ(::unlink(runner_dir.c_str()), 0);
  ASSERT_EQ(::rename((task_dir + "/runner-aside").c_str(), runner_dir.c_str()), 0);
  ASSERT_EQ(::unlink((runner_dir + "/checkpoint").c_str()), 0);
  ASSERT_EQ(::rename((runner_dir + "/real").c_str(), (runner_dir + "/checkpoint").c_str()), 0);
}

}  // namespace
}  // namespace borealis::testing

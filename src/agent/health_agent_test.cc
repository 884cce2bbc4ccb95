// Health checks and graceful shutdown through the whole agent: the fake scheduler, the
// real runner, and tests/e2e/bin/version_server.py as the task (GET /health, POST
// /quitquitquit and /abortabortabort logged to a file).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "agent/agent_test_fixture.h"
#include "common/files.h"
#include "common/strings.h"

namespace borealis::agent::testing {
namespace {

class HealthAgentTest : public AgentFixture {
 protected:
  // A port nothing listens on right now.
  static int64_t free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  // version_server.py on the port named `port_name`, checked every 0.1 s.
  json::value server_job(const std::string& port_name, const std::string& args,
                         int64_t max_failures = 2, int64_t min_successes = 1) {
    json::value j = job("exec /usr/bin/python3 " + std::string(BOREALIS_VERSION_SERVER) +
                        " --port {{thermos.ports[" + port_name + "]}} --version v1 " + args);
    j.as_object()["health_check_config"] =
        json::object{{"initial_interval_secs", 0.2},
                     {"interval_secs", 0.1},
                     {"timeout_secs", 1.0},
                     {"max_consecutive_failures", max_failures},
                     {"min_consecutive_successes", min_successes}};
    j.as_object()["lifecycle"] = json::object{
        {"http", json::object{{"graceful_shutdown_wait_secs", 1}, {"shutdown_wait_secs", 1}}}};
    return j;
  }

  std::vector<std::string> log_lines(const std::string& path) {
    std::string text = borealis::read_file(path, "log").value_or("");
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text.empty() ? std::vector<std::string>{} : split(text, '\n');
  }

  // Launches `j`, its first process running `cmdline`, as t1 with `port` as "health", and
  // waits until it runs.
  void launch_running(json::value j, const std::string& cmdline, int64_t port) {
    j.as_object()["task"].as_object()["processes"].as_array()[0].as_object()["cmdline"] = cmdline;
    fake_.launch("t1", j, 0, {{"health", port}});
    ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}, 10s));
  }

  // Kills t1 as an update does and waits until it is KILLED; returns how long that took.
  std::chrono::steady_clock::duration kill_for_update() {
    auto asked = std::chrono::steady_clock::now();
    fake_.kill("t1", "update");
    EXPECT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}, 15s));
    return std::chrono::steady_clock::now() - asked;
  }
};

TEST_F(HealthAgentTest, RunningOnlyOnceTheChecksPass) {
  start_agent();
  int64_t port = free_port();
  fake_.launch("t1", server_job("http", "--health-after 0.6", 50, 2), 0, {{"http", port}});
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}, 10s));
  auto starting = fake_.updates()[0], running = *fake_.last_update("t1");
  // The server answers "sick" for its first 0.6 s: RUNNING had to wait for it.
  EXPECT_GE(running.ts_ms - starting.ts_ms, 600);
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/health";
  EXPECT_EQ(running.message, "healthy: GET " + url + ": 200 'ok'");

  json::object health = task_view("t1").at("health").as_object();
  EXPECT_EQ(health.at("status").as_string(), "healthy");
  EXPECT_EQ(health.at("check").as_string(), "GET " + url);
  EXPECT_GE(health.at("checks").as_int64(), 3);
  EXPECT_EQ(health.at("consecutive_failures").as_int64(), 0);
}

TEST_F(HealthAgentTest, UnhealthyTaskIsKilledAndFailsSayingWhy) {
  start_agent();
  int64_t port = free_port();
  fake_.launch("t1", server_job("http", "--unhealthy"), 0, {{"http", port}});
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kFailed}, 10s));
  auto last = fake_.last_update("t1");
  EXPECT_EQ(last->message, "health check failed 3 times in a row: GET http://127.0.0.1:" +
                               std::to_string(port) + "/health: expected 'ok', got 500 'sick'");
  // Killed for real: the runner recorded the kill and nothing of the task is left.
  TaskProgress p = read_progress(sandbox("t1"));
  EXPECT_TRUE(p.terminal());
  EXPECT_TRUE(p.running_pids().empty());
  json::object view = task_view("t1");
  EXPECT_EQ(view.at("state").as_string(), "FAILED");
  EXPECT_EQ(view.at("health").at("status").as_string(), "unhealthy");
}

TEST_F(HealthAgentTest, ShellCheckerGatesRunning) {
  start_agent();
  json::value j = job("sleep 0.5; touch ready; exec sleep 60");
  j.as_object()["health_check_config"] = json::object{
      {"health_checker", json::object{{"shell", json::object{{"shell_command", "test -f ready"}}}}},
      {"initial_interval_secs", 2.0},
      {"interval_secs", 0.1}};
  fake_.launch("t1", j);
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}, 10s));
  EXPECT_GE(fake_.last_update("t1")->ts_ms - fake_.updates()[0].ts_ms, 500);
  EXPECT_EQ(fake_.last_update("t1")->message, "healthy: `test -f ready` exited 0");
}

TEST_F(HealthAgentTest, TaskWithoutPortOrShellCheckerRunsAtOnce) {
  start_agent();
  fake_.launch("t1", job("exec sleep 60"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}));
  EXPECT_EQ(fake_.last_update("t1")->message, "");
  EXPECT_FALSE(task_view("t1").contains("health"));
}

TEST_F(HealthAgentTest, GracefulShutdownPostsBothEndpointsBeforeSigterm) {
  start_agent();
  int64_t port = free_port();
  std::string events = tmp_ / "events.log";
  // bash records the runner's SIGTERM after the server logged its POSTs.
  json::value j = server_job("health", "--log " + events);
  std::string server_cmd = j.at("task").at("processes").at(0).at("cmdline").as_string().c_str();
  std::string cmd = "trap 'echo sigterm >> " + events + "; kill $pid; exit 0' TERM; " +
                    server_cmd.substr(5) + " & pid=$!; wait";
  ASSERT_NO_FATAL_FAILURE(launch_running(j, cmd, port));
  // Both waits were honoured: the server answers but does not exit by itself.
  EXPECT_GE(kill_for_update(), 2s);
  auto lines = log_lines(events);
  ASSERT_EQ(lines.size(), 3u) << join(lines, "|");
  EXPECT_TRUE(starts_with(lines[0], "quitquitquit v1")) << lines[0];
  EXPECT_TRUE(starts_with(lines[1], "abortabortabort v1")) << lines[1];
  EXPECT_EQ(lines[2], "sigterm");
}

TEST_F(HealthAgentTest, TaskThatExitsOnQuitquitquitIsKilledWithoutWaiting) {
  start_agent();
  int64_t port = free_port();
  // A server that ends as soon as it is asked to quit.
  json::value j = server_job("health", "");
  std::string cmd =
      "/usr/bin/python3 -c \"import http.server as h, sys\n"
      "class H(h.BaseHTTPRequestHandler):\n"
      "  def log_message(self, *a): pass\n"
      "  def do_GET(self):\n"
      "    self.send_response(200); self.send_header('Content-Length', '2');"
      " self.end_headers(); self.wfile.write(b'ok')\n"
      "  def do_POST(self):\n"
      "    self.send_response(200); self.send_header('Content-Length', '0');"
      " self.end_headers(); self.wfile.flush(); sys.exit(0)\n"
      "s = h.HTTPServer(('127.0.0.1', {{thermos.ports[health]}}), H)\n"
      "try:\n  s.serve_forever()\nexcept SystemExit:\n  pass\n\"";
  // Long waits: ending well before them shows the agent did not wait them out.
  j.as_object()["lifecycle"] = json::object{
      {"http", json::object{{"graceful_shutdown_wait_secs", 5}, {"shutdown_wait_secs", 5}}}};
  ASSERT_NO_FATAL_FAILURE(launch_running(j, cmd, port));
  EXPECT_LT(kill_for_update(), 3s);
  EXPECT_EQ(fake_.last_update("t1")->message,
            "killed: update (the task ended after POST /quitquitquit)");
}

TEST_F(HealthAgentTest, ReattachKeepsRunningAndResumesChecksWithoutGrace) {
  start_agent();
  int64_t port = free_port();
  json::value j = server_job("http", "", 0, 1);
  j.as_object()["health_check_config"].as_object()["initial_interval_secs"] = 30.0;
  fake_.launch("t1", j, 0, {{"http", port}});
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}, 10s));

  agent_.reset();  // a crash: the task keeps running
  start_agent();
  ASSERT_TRUE(wait_for([&] {
    auto v = task_view("t1");
    return v.contains("health") && v.at("health").at("checks").as_int64() >= 2;
  }));
  EXPECT_EQ(fake_.states("t1"), (std::vector<S>{S::kStarting, S::kRunning}));
  EXPECT_EQ(task_view("t1").at("health").at("status").as_string(), "healthy");

  // Make the server unhealthy: with no grace after re-attach, the next check fails it.
  auto client = net::HttpClient::create("http://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->post("/quitquitquit", "").ok());
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFailed}, 5s));
  EXPECT_NE(fake_.last_update("t1")->message.find("health check failed 1 time: "),
            std::string::npos);
}

TEST_F(HealthAgentTest, ReattachOfAStartingTaskStartsItsEvaluationOver) {
  start_agent();
  int64_t port = free_port();
  fake_.launch("t1", server_job("http", "--health-after 1.5", 100, 1), 0, {{"http", port}});
  ASSERT_TRUE(wait_for(
      [&] {
        auto v = task_view("t1");
        return v.contains("health") && v.at("health").at("checks").as_int64() >= 2;
      },
      10s));
  EXPECT_EQ(fake_.states("t1"), std::vector<S>{S::kStarting});

  agent_.reset();
  start_agent();
  // Checked afresh (a new count), and RUNNING once the server turns healthy.
  json::object health = task_view("t1").at("health").as_object();
  EXPECT_EQ(health.at("status").as_string(), "unknown");
  EXPECT_LT(health.at("checks").as_int64(), 5);
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}, 10s));
  EXPECT_GE(fake_.last_update("t1")->ts_ms - fake_.updates()[0].ts_ms, 1500);
}

}  // namespace
}  // namespace borealis::agent::testing

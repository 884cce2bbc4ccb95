// HealthChecker and its probes against real endpoints: a test HTTP server (healthy, 500,
// slow, wrong body, nothing listening) and real shell commands. Each test runs its own
// io_context until the checker gives a verdict (the listener stops the loop), bounded by
// a deadline; intervals are 20-50 ms.
#include "agent/health_checker.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "agent/file_util.h"
#include "agent/http_probe.h"
#include "agent/proc_stat.h"
#include "agent/shell_probe.h"
#include "agent/test_http_server.h"
#include "agent/test_util.h"

namespace borealis::agent::testing {
namespace {

using namespace std::chrono_literals;
using Mode = TestHttpServer::Mode;

HealthPolicy fast(int64_t max_failures = 0, int64_t min_successes = 1, double timeout = 0.5) {
  HealthPolicy p;
  p.initial_interval_secs = 0;
  p.interval_secs = 0.02;
  p.timeout_secs = timeout;
  p.max_consecutive_failures = max_failures;
  p.min_consecutive_successes = min_successes;
  return p;
}

class HealthCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(tmp_ / ".runner");
    std::filesystem::create_directories(tmp_ / "sandbox");
  }

  // Starts checks; the first verdict lands in verdict_ and stops the loop.
  void start(HealthSpec spec, bool already_healthy = false) {
    verdict_ = Health::kUnknown;
    checker_ = std::make_shared<HealthChecker>(io_, std::move(spec), tmp_.path(), clock_,
                                               [this](Health h) {
                                                 verdict_ = h;
                                                 io_.stop();
                                               });
    checker_->start(already_healthy);
  }

  // Runs checks until the first verdict (or `limit`); returns it.
  Health run(HealthSpec spec, bool already_healthy = false, std::chrono::milliseconds limit = 5s) {
    start(std::move(spec), already_healthy);
    io_.run_for(limit);
    io_.restart();
    return verdict_;
  }

  HealthSpec http_spec(int port, HealthPolicy p) {
    HealthSpec s;
    s.http = HttpCheck{port, "/health", "ok", 0};
    s.policy = p;
    return s;
  }

  HealthSpec shell_spec(std::string command, HealthPolicy p) {
    HealthSpec s;
    s.shell = ShellCheck{std::move(command)};
    s.policy = p;
    return s;
  }

  TempDir tmp_;
  boost::asio::io_context io_;
  SystemClock clock_;
  std::shared_ptr<HealthChecker> checker_;
  Health verdict_ = Health::kUnknown;
};

TEST_F(HealthCheckerTest, HealthyServerNeedsItsSuccessesInARow) {
  TestHttpServer server;
  EXPECT_EQ(run(http_spec(server.port(), fast(0, 3))), Health::kHealthy);
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests().front(), "GET /health");
  HealthView v = checker_->view();
  EXPECT_EQ(v.checks, 3);
  EXPECT_EQ(v.last_result,
            "GET http://127.0.0.1:" + std::to_string(server.port()) + "/health: 200 'ok'");
}

TEST_F(HealthCheckerTest, A500IsAFailureThatSaysWhatCameBack) {
  TestHttpServer server;
  server.set_mode(Mode::kSick);
  EXPECT_EQ(run(http_spec(server.port(), fast(2))), Health::kUnhealthy);
  EXPECT_EQ(checker_->view().reason, "health check failed 3 times in a row: GET http://127.0.0.1:" +
                                         std::to_string(server.port()) +
                                         "/health: expected 'ok', got 500 'sick'");
  EXPECT_EQ(server.requests().size(), 3u);  // nothing after the verdict
}

TEST_F(HealthCheckerTest, AWrongBodyIsAFailure) {
  TestHttpServer server;
  server.set_mode(Mode::kWrongBody);
  EXPECT_EQ(run(http_spec(server.port(), fast())), Health::kUnhealthy);
  EXPECT_NE(checker_->view().reason.find("expected 'ok', got 200 'starting'"), std::string::npos)
      << checker_->view().reason;
}

TEST_F(HealthCheckerTest, ASlowAnswerTimesOutAndCountsAsAFailure) {
  TestHttpServer server;
  server.set_mode(Mode::kSlow);  // answers after 3 s
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(run(http_spec(server.port(), fast(0, 1, 0.2))), Health::kUnhealthy);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  EXPECT_NE(checker_->view().reason.find("/health: timed out after 200 ms"), std::string::npos)
      << checker_->view().reason;
}

TEST_F(HealthCheckerTest, NothingListeningIsAFailure) {
  int port = 0;
  {
    TestHttpServer gone;
    port = gone.port();
  }
  EXPECT_EQ(run(http_spec(port, fast())), Health::kUnhealthy);
  EXPECT_NE(checker_->view().reason.find("Connection refused"), std::string::npos)
      << checker_->view().reason;
}

TEST_F(HealthCheckerTest, FailuresInTheGraceDoNotCountAndTheTaskRecovers) {
  TestHttpServer server;
  server.set_mode(Mode::kSick);
  HealthPolicy p = fast();
  p.initial_interval_secs = 0.1;  // 5 attempts at 20 ms
  start(http_spec(server.port(), p));
  // Heal the server during the grace: the task becomes healthy, the failures forgotten.
  ASSERT_TRUE(wait_for([&] {
    io_.run_for(5ms);
    return server.requests().size() >= 3;
  }));
  server.set_mode(Mode::kHealthy);
  io_.run_for(5s);
  EXPECT_EQ(verdict_, Health::kHealthy);
  EXPECT_LE(checker_->view().checks, 5);
}

TEST_F(HealthCheckerTest, ResumedHealthyFailsAtTheFirstFailure) {
  TestHttpServer server;
  server.set_mode(Mode::kSick);
  HealthPolicy p = fast();
  p.initial_interval_secs = 100;  // no grace for a resumed task
  EXPECT_EQ(run(http_spec(server.port(), p), true), Health::kUnhealthy);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(HealthCheckerTest, SnoozeFileSkipsChecksAndCountsAsSuccess) {
  TestHttpServer server;
  server.set_mode(Mode::kSick);
  write_text(tmp_ / "sandbox/.healthchecksnooze", "");
  EXPECT_EQ(run(http_spec(server.port(), fast(0, 2))), Health::kHealthy);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_TRUE(checker_->view().snoozed);
}

TEST_F(HealthCheckerTest, ShellCheckRunsInTheSandboxAndPassesOnceTheFileExists) {
  HealthPolicy p = fast(1000, 1);
  start(shell_spec("test -f ready", p));
  ASSERT_TRUE(wait_for([&] {
    io_.run_for(5ms);
    return checker_->view().checks >= 2;
  }));
  EXPECT_EQ(verdict_, Health::kUnknown);
  EXPECT_EQ(checker_->view().last_result, "`test -f ready` exited with status 1");
  write_text(tmp_ / "sandbox/ready", "");
  io_.run_for(5s);
  EXPECT_EQ(verdict_, Health::kHealthy);
  EXPECT_EQ(checker_->view().last_result, "`test -f ready` exited 0");
}

TEST_F(HealthCheckerTest, ShellCheckOutputGoesIntoTheMessage) {
  EXPECT_EQ(run(shell_spec("echo not ready yet; exit 3", fast())), Health::kUnhealthy);
  EXPECT_EQ(checker_->view().reason,
            "health check failed 1 time: `echo not ready yet; exit 3` exited with status 3: not "
            "ready yet");
}

TEST_F(HealthCheckerTest, ShellCheckTimesOutAndItsWholeGroupIsKilled) {
  std::string pidfile = tmp_ / "sandbox/child.pid";
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(run(shell_spec("sleep 30 & echo $! > " + pidfile + "; wait", fast(0, 1, 0.2))),
            Health::kUnhealthy);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_NE(checker_->view().reason.find("timed out after 200 ms"), std::string::npos);
  auto pid_text = read_file(pidfile);
  ASSERT_TRUE(pid_text.ok());
  pid_t child = std::stoi(*pid_text);
  // The background sleep was in the check's group: killed (a zombie until whoever
  // inherited it reaps it: it is not our child).
  EXPECT_TRUE(wait_for([&] { return runner_liveness(child, 0) != Liveness::kAlive; }, 3s));
}

TEST_F(HealthCheckerTest, StoppingMidCheckKillsAndReapsTheCheck) {
  std::string pidfile = tmp_ / "sandbox/bash.pid";
  HealthSpec spec = shell_spec("echo $$ > " + pidfile + "; sleep 30", fast(0, 1, 30));
  checker_ = std::make_shared<HealthChecker>(io_, spec, tmp_.path(), clock_, [](Health) {});
  checker_->start(false);
  ASSERT_TRUE(wait_for([&] {
    io_.run_for(5ms);
    auto t = read_file(pidfile);
    return t.ok() && !t->empty() && t->back() == '\n';
  }));
  pid_t bash = std::stoi(*read_file(pidfile));
  checker_.reset();  // destroying the checker cancels its probe
  io_.run_for(50ms);
  // Reaped: not even a zombie is left (kill(pid, 0) fails once the pid is released).
  EXPECT_NE(::kill(bash, 0), 0);
}

TEST_F(HealthCheckerTest, HttpProbePostsAndReportsAnyAnswer) {
  TestHttpServer server;
  server.set_mode(Mode::kSick);
  HttpProbeResult got;
  auto probe = HttpProbe::start(io_, server.port(), "POST", "/quitquitquit", 1s,
                                [&](HttpProbeResult r) { got = std::move(r); });
  io_.run_for(5s);
  EXPECT_TRUE(got.answered) << got.error;
  EXPECT_EQ(got.status, 500);
  EXPECT_EQ(server.requests(), std::vector<std::string>{"POST /quitquitquit"});
}

}  // namespace
}  // namespace borealis::agent::testing

// HealthChecker: runs one task's health checks on the agent's loop and tells its owner
// (the task's TaskMonitor) when the verdict changes. The rules are HealthEvaluator's; this
// class only paces the attempts and runs them:
//
//   - the first attempt runs at start(), the next `interval_secs` after the previous one
//     completed (Aurora's thread sleeps the interval after each check);
//   - an attempt is an HTTP GET (HttpProbe) or a shell command (ShellProbe), each bounded
//     by `timeout_secs`; a timeout is a failure;
//   - while <sandbox>/.healthchecksnooze exists the attempt is skipped and counts as a
//     success (Aurora's snooze);
//   - after an unhealthy verdict, or stop(), nothing more runs.
//
// Cost: one steady_timer and at most one probe in flight per task; no thread.
//
// Ownership and threads: owned by a TaskMonitor through a shared_ptr and used only on the
// loop thread of `io`; its waits hold weak pointers. Destroying it (or stop()) cancels the
// probe in flight: an HTTP socket is closed, a shell check is killed and reaped.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "agent/health_evaluator.h"
#include "agent/health_spec.h"
#include "agent/shell_probe.h"
#include "common/clock.h"

namespace borealis::agent {

class HttpProbe;

// The verdict on one HTTP answer, by Aurora's rules: with expected_response_code 0 the
// status must be 2xx and the body, trimmed, must equal expected_response ignoring case
// (an empty expected_response accepts any body); with a non-zero code only the status
// code is compared (Aurora would compare the body too).
CheckResult judge_http(const HttpCheck& check, const std::string& method_url, int status,
                       const std::string& body);

// Everything the agent's API shows about a task's health.
struct HealthView {
  Health health = Health::kUnknown;
  int64_t checks = 0;  // attempts so far
  int64_t consecutive_failures = 0;
  int64_t consecutive_successes = 0;
  bool snoozed = false;
  std::string last_result;  // detail of the last attempt
  TimeMs last_check_ms = 0;
  std::string reason;  // why unhealthy
};

class HealthChecker : public std::enable_shared_from_this<HealthChecker> {
 public:
  // Called on the loop thread when the verdict becomes healthy or unhealthy.
  using Listener = std::function<void(Health)>;

  HealthChecker(boost::asio::io_context& io, HealthSpec spec, std::string sandbox,
                const Clock& clock, Listener listener);
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Starts checking. `already_healthy`: a re-attached RUNNING task (no grace).
  void start(bool already_healthy);
  void stop();

  HealthView view() const;
  const HealthEvaluator& evaluator() const { return evaluator_; }
  // "GET http://127.0.0.1:31000/health" or "`test -f ready`".
  std::string target() const;

 private:
  void attempt();
  void post_result(CheckResult r);
  void on_result(CheckResult r);

  boost::asio::io_context& io_;
  HealthSpec spec_;
  std::string sandbox_;
  const Clock& clock_;
  Listener listener_;
  HealthEvaluator evaluator_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<HttpProbe> http_;
  std::shared_ptr<ShellProbe> shell_;
  bool stopped_ = true;
  bool snoozed_ = false;
  std::string last_result_;
  TimeMs last_check_ms_ = 0;
};

}  // namespace borealis::agent

// The pure rules of health checking (HealthEvaluator, judge_http, resolve_health_spec).
// Attempts, not time: no clock is needed and nothing waits.
#include "agent/health_evaluator.h"

#include <gtest/gtest.h>

#include "agent/health_checker.h"
#include "agent/health_spec.h"

namespace borealis::agent {
namespace {

CheckResult pass() { return {true, false, "GET /health: 200 'ok'"}; }
CheckResult failure(std::string why = "GET /health: expected 'ok', got 500 'sick'") {
  return {false, false, std::move(why)};
}

HealthPolicy policy(double initial, double interval, int64_t max_failures, int64_t min_successes) {
  HealthPolicy p;
  p.initial_interval_secs = initial;
  p.interval_secs = interval;
  p.max_consecutive_failures = max_failures;
  p.min_consecutive_successes = min_successes;
  return p;
}

// Records one check per letter of `checks` (P passed, F failed) and returns the verdict after
// each: U unknown, H healthy, X unhealthy.
std::string record(HealthEvaluator& e, std::string_view checks) {
  std::string verdicts;
  for (char c : checks) {
    switch (e.record(c == 'P' ? pass() : failure())) {
      case Health::kUnknown:
        verdicts += 'U';
        break;
      case Health::kHealthy:
        verdicts += 'H';
        break;
      case Health::kUnhealthy:
        verdicts += 'X';
        break;
    }
  }
  return verdicts;
}

TEST(HealthEvaluatorTest, GraceIsCountedInAttemptsAndItsFailuresDoNotCount) {
  // 0.3 s of grace at 0.1 s intervals: the first 3 attempts' failures are forgiven.
  HealthEvaluator e(policy(0.3, 0.1, 0, 1));
  EXPECT_EQ(e.grace_attempts(), 3);
  EXPECT_EQ(e.max_attempts_to_healthy(), 4);
  EXPECT_EQ(record(e, "FFF"), "UUU");
  EXPECT_EQ(e.consecutive_failures(), 0);
  EXPECT_EQ(record(e, "P"), "H");
}

TEST(HealthEvaluatorTest, AFailureAfterTheGraceCountsAndEndsIt) {
  // Aurora's defaults: 15 s grace at 10 s intervals is 2 attempts; no failure tolerated.
  HealthEvaluator e(policy(15, 10, 0, 1));
  EXPECT_EQ(record(e, "FFF"), "UUX");
  EXPECT_EQ(e.reason(), "health check failed 1 time: GET /health: expected 'ok', got 500 'sick'");
  EXPECT_EQ(record(e, "P"), "X");  // unhealthy is final
}

TEST(HealthEvaluatorTest, ConsecutiveFailuresAfterHealthyAreCountedAndASuccessResetsThem) {
  HealthEvaluator e(policy(0, 1, 2, 1));
  EXPECT_EQ(record(e, "PFF"), "HHH");
  EXPECT_EQ(e.consecutive_failures(), 2);
  EXPECT_EQ(record(e, "P"), "H");
  EXPECT_EQ(e.consecutive_failures(), 0);
  EXPECT_EQ(record(e, "FF"), "HH");
  EXPECT_EQ(e.record(failure("GET http://127.0.0.1:31000/health: timed out after 1 s")),
            Health::kUnhealthy);
  EXPECT_EQ(e.reason(),
            "health check failed 3 times in a row: GET http://127.0.0.1:31000/health: timed out "
            "after 1 s");
}

TEST(HealthEvaluatorTest, MinConsecutiveSuccessesMustComeInARow) {
  HealthEvaluator e(policy(0, 1, 5, 3));
  EXPECT_EQ(record(e, "PPF"), "UUU");  // the failure resets the successes
  EXPECT_EQ(e.consecutive_successes(), 0);
  EXPECT_EQ(record(e, "PPP"), "UUH");
}

TEST(HealthEvaluatorTest, AFlappingTaskFailsAsSoonAsTheSuccessesCannotFitBeforeTheDeadline) {
  // Deadline: 0 + 1 + 2 = 3 attempts; after a counted failure at attempt 2 only one is left.
  HealthEvaluator e(policy(0, 1, 1, 2));
  EXPECT_EQ(record(e, "PF"), "UX");
  EXPECT_NE(e.reason().find("cannot pass 2 time(s) in a row within its 3 attempts"),
            std::string::npos)
      << e.reason();
}

TEST(HealthEvaluatorTest, NeverHealthyWithinTheDeadlineFails) {
  // 2 attempts of grace + 3 + 1 = 6. Failures in the grace are forgiven but still leave
  // the task short of its successes at the deadline.
  HealthEvaluator e(policy(2, 1, 3, 1));
  EXPECT_EQ(e.max_attempts_to_healthy(), 6);
  EXPECT_EQ(record(e, "FFFFFF"), "UUUUUX");
  EXPECT_EQ(e.attempts(), 6);
  EXPECT_NE(e.reason().find("failed 4 times in a row"), std::string::npos) << e.reason();
}

TEST(HealthEvaluatorTest, SuccessesRightAfterTheGraceStillMakeTheDeadline) {
  // Deadline at 1 + 0 + 2 = 3 attempts: a forgiven failure, then exactly enough successes.
  HealthEvaluator e(policy(1, 1, 0, 2));
  EXPECT_EQ(record(e, "FPP"), "UUH");        // the failure is in the grace
  HealthEvaluator late(policy(2, 1, 0, 1));  // deadline 3
  EXPECT_EQ(record(late, "FFP"), "UUH");
}

TEST(HealthEvaluatorTest, SnoozedChecksCountAsSuccesses) {
  HealthEvaluator e(policy(0, 1, 0, 2));
  CheckResult snoozed{true, true, "snoozed"};
  EXPECT_EQ(e.record(snoozed), Health::kUnknown);
  EXPECT_EQ(e.record(snoozed), Health::kHealthy);
  EXPECT_EQ(e.consecutive_failures(), 0);
}

TEST(HealthEvaluatorTest, NonPositiveIntervalIsTakenAsTheMinimum) {
  HealthEvaluator e(policy(0.05, 0, 0, 1));
  EXPECT_EQ(e.grace_attempts(), 5);  // 0.05 s at 0.01 s
}

TEST(HealthEvaluatorTest, ResumedHealthyHasNoGrace) {
  HealthEvaluator e(policy(100, 1, 0, 1));
  e.resume_healthy();
  EXPECT_EQ(e.health(), Health::kHealthy);
  EXPECT_EQ(e.record(failure()), Health::kUnhealthy);
}

TEST(JudgeHttpTest, ExpectedResponseIsTrimmedAndCaseInsensitiveAndNeeds2xx) {
  HttpCheck c;  // /health, "ok", code 0
  std::string what = "GET http://127.0.0.1:31000/health";
  EXPECT_TRUE(judge_http(c, what, 200, "OK\n").ok);
  EXPECT_TRUE(judge_http(c, what, 204, "  ok ").ok);
  CheckResult sick = judge_http(c, what, 500, "sick");
  EXPECT_FALSE(sick.ok);
  EXPECT_EQ(sick.detail, "GET http://127.0.0.1:31000/health: expected 'ok', got 500 'sick'");
  EXPECT_FALSE(judge_http(c, what, 500, "ok").ok);
  EXPECT_FALSE(judge_http(c, what, 200, "okay").ok);
  c.expected_response = "";
  EXPECT_TRUE(judge_http(c, what, 200, "anything").ok);
}

TEST(JudgeHttpTest, ANonZeroExpectedCodeComparesOnlyTheCode) {
  HttpCheck c;
  c.expected_response_code = 503;
  std::string what = "GET http://127.0.0.1:1/h";
  EXPECT_TRUE(judge_http(c, what, 503, "draining").ok);
  CheckResult r = judge_http(c, what, 200, "ok");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "GET http://127.0.0.1:1/h: expected status 503, got 200 'ok'");
  CheckResult long_body = judge_http(c, what, 500, std::string(100, 'x'));
  EXPECT_NE(long_body.detail.find("'" + std::string(40, 'x') + "...'"), std::string::npos);
}

jobspec::JobSpec job_with(std::optional<jobspec::ShellHealthChecker> shell) {
  jobspec::JobSpec job;
  job.role = "www-data";
  if (shell) job.health_check_config.health_checker = {std::nullopt, shell};
  return job;
}

TEST(HealthSpecTest, HttpChecksTheHealthPortElseTheHttpPort) {
  TaskFacts facts{"t", 0, "h", "u", {{"http", 31000}, {"health", 31001}}};
  HealthSpec s = resolve_health_spec(job_with(std::nullopt), facts);
  ASSERT_TRUE(s.http);
  EXPECT_EQ(s.http->port, 31001);
  EXPECT_EQ(s.http->endpoint, "/health");
  ASSERT_TRUE(s.lifecycle);
  EXPECT_EQ(s.lifecycle->port, 31001);
  EXPECT_EQ(s.lifecycle->graceful_shutdown_wait_ms, 5000);

  facts.ports = {{"http", 31000}};
  s = resolve_health_spec(job_with(std::nullopt), facts);
  ASSERT_TRUE(s.http);
  EXPECT_EQ(s.http->port, 31000);
  EXPECT_FALSE(s.lifecycle) << "only the lifecycle's port (health) triggers graceful shutdown";

  facts.ports = {{"admin", 31000}};
  s = resolve_health_spec(job_with(std::nullopt), facts);
  EXPECT_FALSE(s.checked());
  EXPECT_FALSE(s.lifecycle);
}

TEST(HealthSpecTest, AShellCheckerAlwaysRunsWithPortsBound) {
  TaskFacts facts{"task-1", 3, "h", "u", {{"http", 31000}}};
  HealthSpec s =
      resolve_health_spec(job_with(jobspec::ShellHealthChecker{
                              "curl -s localhost:{{thermos.ports[http]}}/{{mesos.instance}}"}),
                          facts);
  EXPECT_FALSE(s.http);
  ASSERT_TRUE(s.shell);
  EXPECT_EQ(s.shell->command, "curl -s localhost:31000/3");
  facts.ports.clear();
  s = resolve_health_spec(job_with(jobspec::ShellHealthChecker{"test -f ready"}), facts);
  ASSERT_TRUE(s.shell);
  EXPECT_EQ(s.user, "u");
}

}  // namespace
}  // namespace borealis::agent

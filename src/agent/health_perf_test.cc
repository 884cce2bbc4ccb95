// The cost of health checking on the agent's loop: 100 healthy tasks checked every
// 100 ms by one thread (the loop), against one local server. Prints the loop thread's
// CPU time per check and the checks' latency; the bounds are loose (sanitizer builds).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "agent/health_checker.h"
#include "agent/test_http_server.h"
#include "agent/test_util.h"

namespace borealis::agent::testing {
namespace {

using namespace std::chrono_literals;

double thread_cpu_ms() {
  rusage ru{};
  ::getrusage(RUSAGE_THREAD, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

TEST(HealthPerfTest, HundredHealthyTasksOnOneLoop) {
  constexpr int kTasks = 100;
  TestHttpServer server;
  TempDir tmp;
  std::filesystem::create_directories(tmp / ".runner");
  std::filesystem::create_directories(tmp / "sandbox");
  boost::asio::io_context io;
  SystemClock clock;
  HealthSpec spec;
  spec.http = HttpCheck{server.port(), "/health", "ok", 0};
  spec.policy.initial_interval_secs = 0;
  spec.policy.interval_secs = 0.1;
  spec.policy.timeout_secs = 1;
  spec.policy.min_consecutive_successes = 1;
  int healthy = 0, unhealthy = 0;
  std::vector<std::shared_ptr<HealthChecker>> checkers;
  for (int i = 0; i < kTasks; ++i) {
    checkers.push_back(std::make_shared<HealthChecker>(io, spec, tmp.path(), clock, [&](Health h) {
      (h == Health::kHealthy ? healthy : unhealthy)++;
    }));
  }
  double cpu0 = thread_cpu_ms();
  auto t0 = std::chrono::steady_clock::now();
  for (auto& c : checkers) c->start(false);
  io.run_for(3s);
  double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  double cpu_ms = thread_cpu_ms() - cpu0;
  int64_t checks = 0;
  for (auto& c : checkers) checks += c->view().checks;
  for (auto& c : checkers) c->stop();
  io.run_for(100ms);

  EXPECT_EQ(healthy, kTasks);
  EXPECT_EQ(unhealthy, 0);
  for (auto& c : checkers)
    if (c->view().health == Health::kUnhealthy) {
      ADD_FAILURE() << c->view().reason;
      break;
    }
  // Each task checks about every 100 ms plus the check's own time.
  double per_task_period_ms = wall_ms * kTasks / static_cast<double>(checks);
  std::printf(
      "health checks: %d tasks, %lld checks in %.0f ms (one every %.1f ms per task); "
      "loop CPU %.0f ms = %.1f%% of one core, %.0f us per check\n",
      kTasks, static_cast<long long>(checks), wall_ms, per_task_period_ms, cpu_ms,
      100.0 * cpu_ms / wall_ms, 1000.0 * cpu_ms / static_cast<double>(checks));
  // Loose: a shared machine and a sanitizer build. Unloaded it is about 170 ms.
  EXPECT_GT(checks, kTasks * 6);  // at least 6 rounds in 3 s
  EXPECT_LT(per_task_period_ms, 500);
}

}  // namespace
}  // namespace borealis::agent::testing

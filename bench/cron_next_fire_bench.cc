// Next-fire computation of cron schedules (docs/cron.md): the rarest schedule the parser
// accepts (leap days, across the non-leap 2100), a daily one across a daylight-saving gap,
// and every minute; plus parsing.
#include <benchmark/benchmark.h>

#include "scheduler/core/cron/next_fire.h"

namespace borealis::scheduler::cron {
namespace {

// 2096-03-01 00:00 UTC: the next 29 February is in 2104.
constexpr TimeMs k2096March = 3'981'398'400'000;
// 2026-03-07 12:00 UTC: New York's 2026 spring-forward is the next night.
constexpr TimeMs k2026March7 = 1'772'884'800'000;

void run(benchmark::State& state, const char* schedule, const char* zone, TimeMs after) {
  auto expr = parse_cron(schedule);
  auto z = CronZone::locate(zone);
  if (!expr.ok() || !z.ok()) {
    state.SkipWithError("bad schedule or zone");
    return;
  }
  for (auto _ : state) {
    auto next = next_fire(*expr, *z, after);
    benchmark::DoNotOptimize(next);
  }
}

void BM_NextFireLeapDayAcross2100(benchmark::State& state) {
  run(state, "0 0 29 2 *", "UTC", k2096March);
}
BENCHMARK(BM_NextFireLeapDayAcross2100);

void BM_NextFireDailyInNewYorkGap(benchmark::State& state) {
  run(state, "30 2 * * *", "America/New_York", k2026March7);
}
BENCHMARK(BM_NextFireDailyInNewYorkGap);

void BM_NextFireEveryMinuteBerlin(benchmark::State& state) {
  run(state, "* * * * *", "Europe/Berlin", k2026March7);
}
BENCHMARK(BM_NextFireEveryMinuteBerlin);

void BM_ParseCron(benchmark::State& state) {
  for (auto _ : state) {
    auto expr = parse_cron("*/5 1-23/2 1,15 JAN-MAR,oct MON-FRI");
    benchmark::DoNotOptimize(expr);
  }
}
BENCHMARK(BM_ParseCron);

}  // namespace
}  // namespace borealis::scheduler::cron

BENCHMARK_MAIN();

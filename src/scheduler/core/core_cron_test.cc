// Cron jobs in the core with a fake clock: fires across daylight-saving changes, month
// ends and leap days, both collision policies, restarts, and missed fires.
#include <date/date.h>
#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

TimeMs utc(int y, unsigned mo, unsigned d, int h, int mi) {
  auto t =
      date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi};
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string show(TimeMs t) {
  return date::format("%F %R",
                      date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
}

const JobKey kKey{"www-data", "prod", "nightly"};

class CoreCronTest : public ::testing::Test {
 protected:
  void start(const std::string& zone, TimeMs at) {
    CoreOptions o;
    o.cron_timezone = zone;
    c_ = std::make_unique<SimCluster>(o);
    c_->clock().set_ms(at);
    c_->add_agent("a", 16, 16LL << 30, 16LL << 30);
  }

  Result<const CronJob*> schedule(const std::string& expr,
                                  const std::string& policy = "KILL_EXISTING",
                                  int64_t instances = 1) {
    auto spec = SimCluster::job("nightly", instances, 1.0, 64 << 20, /*service=*/false);
    spec.cron_schedule = expr;
    spec.cron_collision_policy = policy;
    auto r = c_->core().schedule_cron(spec, c_->clock().now_ms(), "alice");
    c_->step();
    return r;
  }

  // Moves the wall clock to `end` in steps of `tick_ms`, ticking the core each time. The
  // monotonic clock stands still, so agents stay alive across days. With `finish`, every
  // run's tasks end FINISHED right after they start.
  void run_until(TimeMs end, TimeMs tick_ms, bool finish = true) {
    while (c_->clock().now_ms() < end) {
      c_->clock().advance_ms(std::min(tick_ms, end - c_->clock().now_ms()));
      c_->core().tick(c_->clock().now_ms(), c_->mono_clock().mono_ms());
      c_->step();
      if (finish)
        for (const Task* t : c_->active_tasks("nightly"))
          if (t->state == TaskState::kRunning) c_->end_task(t->id, TaskState::kFinished);
    }
  }

  const CronJob& cron() const {
    const CronJob* j = c_->core().cron().find(kKey);
    EXPECT_NE(j, nullptr);
    return *j;
  }

  // "due outcome" of each recorded fire, oldest first.
  std::vector<std::string> runs() const {
    std::vector<std::string> out;
    for (auto it = cron().runs.rbegin(); it != cron().runs.rend(); ++it)
      out.push_back(show(it->due_ms) + " " + cron_outcome_name(it->outcome));
    return out;
  }

  std::unique_ptr<SimCluster> c_;
  using V = std::vector<std::string>;
};

TEST_F(CoreCronTest, NewYorkSpringForwardFiresOnceAfterTheGap) {
  start("America/New_York", utc(2026, 3, 7, 12, 0));
  ASSERT_TRUE(schedule("30 2 * * *").ok());
  run_until(utc(2026, 3, 9, 12, 0), 60'000);
  // 02:30 does not exist on 2026-03-08: it fires at 03:00 EDT (07:00 UTC), once.
  EXPECT_EQ(runs(), (V{"2026-03-08 07:00 LAUNCHED", "2026-03-09 06:30 LAUNCHED"}));
  EXPECT_EQ(c_->launches(), 2);
  EXPECT_EQ(cron().runs.back().result, "1 FINISHED");
}

TEST_F(CoreCronTest, NewYorkFallBackFiresTheRepeatedTimeOnce) {
  start("America/New_York", utc(2026, 10, 31, 12, 0));
  ASSERT_TRUE(schedule("30 1 * * *").ok());
  run_until(utc(2026, 11, 2, 12, 0), 60'000);
  EXPECT_EQ(runs(), (V{"2026-11-01 05:30 LAUNCHED", "2026-11-02 06:30 LAUNCHED"}));
}

TEST_F(CoreCronTest, BerlinBothChanges) {
  start("Europe/Berlin", utc(2026, 3, 28, 12, 0));
  ASSERT_TRUE(schedule("15 2 * * *").ok());
  run_until(utc(2026, 3, 30, 12, 0), 60'000);
  EXPECT_EQ(runs(), (V{"2026-03-29 01:00 LAUNCHED", "2026-03-30 00:15 LAUNCHED"}));
  c_->clock().set_ms(utc(2026, 10, 24, 12, 0));
  ASSERT_TRUE(schedule("15 2 * * *").ok());  // rescheduled: next due from now
  run_until(utc(2026, 10, 26, 12, 0), 60'000);
  EXPECT_EQ(runs(), (V{"2026-03-29 01:00 LAUNCHED", "2026-03-30 00:15 LAUNCHED",
                       "2026-10-25 00:15 LAUNCHED", "2026-10-26 01:15 LAUNCHED"}));
}

TEST_F(CoreCronTest, MonthEndsAndLeapDays) {
  start("UTC", utc(2027, 4, 1, 0, 0));
  ASSERT_TRUE(schedule("0 12 31 * *").ok());
  run_until(utc(2027, 8, 1, 0, 0), 3'600'000);
  EXPECT_EQ(runs(), (V{"2027-05-31 12:00 LAUNCHED", "2027-07-31 12:00 LAUNCHED"}));

  start("UTC", utc(2027, 2, 1, 0, 0));
  ASSERT_TRUE(schedule("0 0 29 2 *").ok());
  EXPECT_EQ(show(cron().next_due_ms), "2028-02-29 00:00");
  run_until(utc(2028, 3, 2, 0, 0), 24 * 3'600'000);
  EXPECT_EQ(runs(), (V{"2028-02-29 00:00 LAUNCHED"}));
}

TEST_F(CoreCronTest, KillExistingKillsThePreviousRunThenLaunches) {
  start("UTC", utc(2026, 11, 26, 10, 1));
  ASSERT_TRUE(schedule("*/5 * * * *", "KILL_EXISTING", 2).ok());
  run_until(utc(2026, 11, 26, 10, 5), 1000, /*finish=*/false);
  auto first = c_->active_tasks("nightly");
  ASSERT_EQ(first.size(), 2u);
  std::set<std::string> first_ids = {first[0]->id, first[1]->id};
  run_until(utc(2026, 11, 26, 10, 10), 1000, /*finish=*/false);
  c_->step();  // the agent reports the kills; the run waiting on them launches next tick
  run_until(utc(2026, 11, 26, 10, 10) + 2000, 1000, /*finish=*/false);
  EXPECT_EQ(runs(), (V{"2026-11-26 10:05 LAUNCHED", "2026-11-26 10:10 LAUNCHED"}));
  EXPECT_NE(cron().runs.front().message.find("once the previous run was killed"), std::string::npos)
      << cron().runs.front().message;
  auto second = c_->active_tasks("nightly");
  ASSERT_EQ(second.size(), 2u);
  for (const Task* t : second) EXPECT_FALSE(first_ids.contains(t->id));
  EXPECT_FALSE(cron().launch_waiting);
  EXPECT_EQ(c_->launches(), 4);
  EXPECT_EQ(cron().runs.back().result, "2 KILLED");  // settled before the new run replaced it
  EXPECT_EQ(cron().runs.front().result, "");         // still running
}

TEST_F(CoreCronTest, CancelNewLeavesThePreviousRunAlone) {
  start("UTC", utc(2026, 11, 26, 10, 1));
  ASSERT_TRUE(schedule("*/5 * * * *", "CANCEL_NEW").ok());
  run_until(utc(2026, 11, 26, 10, 11), 1000, /*finish=*/false);
  EXPECT_EQ(runs(), (V{"2026-11-26 10:05 LAUNCHED", "2026-11-26 10:10 CANCELLED"}));
  EXPECT_NE(cron().runs.front().message.find("still has 1 active task(s) (CANCEL_NEW)"),
            std::string::npos);
  EXPECT_EQ(c_->launches(), 1);
  ASSERT_EQ(c_->active_tasks("nightly").size(), 1u);
  EXPECT_EQ(c_->active_tasks("nightly")[0]->state, TaskState::kRunning);
}

TEST_F(CoreCronTest, RestartNeitherFiresTwiceNorLosesAFire) {
  start("UTC", utc(2026, 11, 26, 9, 30));
  ASSERT_TRUE(schedule("0 * * * *").ok());
  run_until(utc(2026, 11, 26, 10, 0) + 500, 1000);
  ASSERT_EQ(runs(), (V{"2026-11-26 10:00 LAUNCHED"}));
  ASSERT_TRUE(c_->restart_scheduler().ok());
  EXPECT_EQ(runs(), (V{"2026-11-26 10:00 LAUNCHED"}));
  EXPECT_EQ(show(cron().next_due_ms), "2026-11-26 11:00");
  run_until(utc(2026, 11, 26, 11, 30), 1000);
  EXPECT_EQ(runs(), (V{"2026-11-26 10:00 LAUNCHED", "2026-11-26 11:00 LAUNCHED"}));
  EXPECT_EQ(c_->launches(), 2);
}

TEST_F(CoreCronTest, FiresMissedWhileDownAreReportedNotRunLate) {
  start("UTC", utc(2026, 11, 26, 9, 30));
  ASSERT_TRUE(schedule("0 * * * *").ok());
  c_->step();
  // The scheduler is down from 09:30 to 12:20: 10:00, 11:00 and 12:00 pass unseen.
  c_->clock().set_ms(utc(2026, 11, 26, 12, 20));
  ASSERT_TRUE(c_->restart_scheduler().ok());
  EXPECT_EQ(runs(), (V{"2026-11-26 10:00 MISSED"}));
  const CronRun& missed = cron().runs.front();
  EXPECT_EQ(missed.missed, 3);
  EXPECT_EQ(missed.message,
            "3 fire(s) due from 2026-11-26 10:00:00 UTC to 2026-11-26 12:00:00 UTC were missed: "
            "no scheduler was running; they are not run late");
  c_->step();
  EXPECT_EQ(c_->launches(), 0);
  EXPECT_EQ(show(cron().next_due_ms), "2026-11-26 13:00");
  // The record of the miss is durable: a second restart does not count it again.
  ASSERT_TRUE(c_->restart_scheduler().ok());
  EXPECT_EQ(runs(), (V{"2026-11-26 10:00 MISSED"}));
  run_until(utc(2026, 11, 26, 13, 0) + 500, 1000);
  EXPECT_EQ(runs(), (V{"2026-11-26 10:00 MISSED", "2026-11-26 13:00 LAUNCHED"}));
}

TEST_F(CoreCronTest, StartDescheduleAndConflicts) {
  start("UTC", utc(2026, 11, 26, 9, 30));
  auto plain = SimCluster::job("nightly", 1, 1.0, 64 << 20, /*service=*/false);
  ASSERT_TRUE(c_->core().create_job(plain, c_->clock().now_ms()).ok());
  c_->step();
  auto refused = schedule("0 * * * *");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("is not a cron job and has 1 active tasks"),
            std::string::npos)
      << refused.status().message();
  ASSERT_TRUE(c_->core().kill(kKey, std::nullopt, "", c_->clock().now_ms()).ok());
  c_->step();
  ASSERT_TRUE(schedule("0 * * * *").ok());
  auto again = c_->core().create_job(plain, c_->clock().now_ms());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("is a scheduled cron job"), std::string::npos);

  auto run = c_->core().start_cron(kKey, c_->clock().now_ms(), "bob");
  ASSERT_TRUE(run.ok()) << run.status().to_string();
  EXPECT_EQ((*run)->outcome, CronOutcome::kLaunched);
  EXPECT_TRUE((*run)->manual);
  c_->step();
  ASSERT_EQ(c_->active_tasks("nightly").size(), 1u);
  EXPECT_EQ(c_->core().find_job(kKey)->created_by, "bob");

  auto next = c_->core().cron().upcoming(cron(), c_->clock().now_ms(), 3);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(show((*next)[2]), "2026-11-26 12:00");

  ASSERT_TRUE(c_->core().deschedule_cron(kKey).ok());
  c_->step();
  EXPECT_EQ(c_->core().cron().find(kKey), nullptr);
  EXPECT_EQ(c_->active_tasks("nightly").size(), 1u);  // a run goes on, as in Aurora
  EXPECT_EQ(c_->core().deschedule_cron(kKey).code(), StatusCode::kNotFound);
  EXPECT_EQ(c_->core().start_cron(kKey, c_->clock().now_ms()).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(c_->restart_scheduler().ok());
  EXPECT_EQ(c_->core().cron().find(kKey), nullptr);
}

TEST_F(CoreCronTest, ScheduleErrorsNameTheField) {
  start("UTC", utc(2026, 11, 26, 9, 30));
  auto bad = schedule("0 25 * * *");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "cron_schedule: cron schedule '0 25 * * *': field 2 (hour) at character 3"),
            std::string::npos)
      << bad.status().message();
  auto overlap = schedule("0 * * * *", "RUN_OVERLAP");
  ASSERT_FALSE(overlap.ok());
  EXPECT_NE(overlap.status().message().find("cron_collision_policy: RUN_OVERLAP is not supported"),
            std::string::npos);
  auto spec = SimCluster::job("nightly", 1, 1.0, 64 << 20, /*service=*/false);
  auto none = c_->core().schedule_cron(spec, c_->clock().now_ms());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("cron_schedule: a cron job needs a schedule"),
            std::string::npos);
  EXPECT_TRUE(c_->core().cron().jobs().empty());
  EXPECT_FALSE(validate_cron_timezone("Nowhere/Special").ok());
  EXPECT_TRUE(validate_cron_timezone("Europe/Berlin").ok());
}

}  // namespace
}  // namespace borealis::scheduler

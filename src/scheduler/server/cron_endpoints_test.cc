// The cron routes over real HTTP: schedule, show (next runs in the zone), start now,
// deschedule, a bad schedule's error, and the schedule surviving a restart.
#include <gtest/gtest.h>

#include "api/cron.h"
#include "api/jobs.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

std::string cron_spec(const std::string& schedule) {
  return R"({"role": "www-data", "environment": "prod", "cluster": "test", "name": "nightly",
    "instances": 2, "service": false, "cron_schedule": ")" +
         schedule + R"(", "cron_collision_policy": "CANCEL_NEW",
    "task": {"processes": [{"name": "backup", "cmdline": "true"}],
             "resources": {"cpu": 0.1, "ram": 1048576, "disk": 1048576}}})";
}
constexpr const char* kPath = "/api/v1/cron/www-data/prod/nightly";

class CronEndpointTest : public ServiceTest {
 protected:
  SchedulerOptions new_york() const {
    SchedulerOptions o = options();
    o.cron_timezone = "America/New_York";
    return o;
  }
  void SetUp() override { start(new_york()); }
};

TEST_F(CronEndpointTest, ScheduleShowStartDeschedule) {
  auto scheduled = call("POST", "/api/v1/cron", cron_spec("0 3 * * MON-FRI"));
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  auto info = api::decode_body<api::CronJobInfo>(scheduled.body);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->key, "test/www-data/prod/nightly");
  EXPECT_EQ(info->schedule, "0 3 * * MON-FRI");
  EXPECT_EQ(info->collision_policy, "CANCEL_NEW");
  EXPECT_EQ(info->timezone, "America/New_York");
  ASSERT_EQ(info->next_runs.size(), 5u);
  for (const auto& next : info->next_runs) {
    EXPECT_NE(next.local.find(" 03:00:00 E"), std::string::npos) << next.local;  // EST or EDT
    EXPECT_GT(next.at_ms, service_->now());
  }
  EXPECT_TRUE(info->runs.empty());
  // Nothing runs until it fires: no job yet.
  EXPECT_EQ(call("GET", "/api/v1/jobs/www-data/prod/nightly").status, 404);

  auto started = call("POST", std::string(kPath) + "/start");
  ASSERT_EQ(started.status, 200) << started.body;
  auto run = api::decode_body<api::CronStartResult>(started.body);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->run.outcome, "LAUNCHED");
  EXPECT_TRUE(run->run.manual);
  auto job =
      api::decode_body<api::JobDetail>(call("GET", "/api/v1/jobs/www-data/prod/nightly").body);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->summary.instances, 2);
  // The first run's tasks are still pending: CANCEL_NEW cancels a second start.
  auto again =
      api::decode_body<api::CronStartResult>(call("POST", std::string(kPath) + "/start").body);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->run.outcome, "CANCELLED");

  // The schedule and its runs survive a restart.
  service_->stop();
  start(new_york());
  auto shown = api::decode_body<api::CronJobInfo>(call("GET", kPath).body);
  ASSERT_TRUE(shown.ok()) << shown.status().to_string();
  ASSERT_EQ(shown->runs.size(), 2u);
  EXPECT_EQ(shown->runs[0].outcome, "CANCELLED");
  EXPECT_EQ(shown->runs[1].outcome, "LAUNCHED");

  EXPECT_EQ(call("POST", std::string(kPath) + "/deschedule").status, 200);
  auto gone = call("GET", kPath);
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("test/www-data/prod/nightly is not a scheduled cron job"),
            std::string::npos)
      << gone.body;
}

TEST_F(CronEndpointTest, BadScheduleNamesTheField) {
  auto bad = call("POST", "/api/v1/cron", cron_spec("0 3 * * FUNDAY"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("cron_schedule: cron schedule '0 3 * * FUNDAY': field 5 (day of week) "
                          "at character 9 ('F'): 'FUNDAY' is not a day of week name"),
            std::string::npos)
      << bad.body;
  auto create = call("POST", "/api/v1/jobs", cron_spec("0 3 * * *"));
  EXPECT_EQ(create.status, 409);
  EXPECT_NE(create.body.find("cron jobs are scheduled (cron schedule), not created"),
            std::string::npos)
      << create.body;
}

using CronTimezoneFlagTest = ServiceTest;

TEST_F(CronTimezoneFlagTest, UnknownZoneStopsTheSchedulerNamingTheFlag) {
  SchedulerOptions o = options();
  o.cron_timezone = "Atlantis/Capital";
  SchedulerService service(o);
  Status st = service.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--cron-timezone: time zone 'Atlantis/Capital'"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace borealis::scheduler

// `borealis cron` against a real in-process cluster: schedule from a job file, show (text
// and the API's JSON), start now (the run's tasks run), deschedule, and the errors.
#include "api/cron.h"
#include "cli/cli_fixture.h"

namespace borealis::cli::testing {
namespace {

constexpr const char* kNightlyKey = "devcluster/www-data/prod/nightly";

// A batch job of two instances that finish at once, fired at 03:00 on weekdays.
json::object nightly_spec(const std::string& schedule = "0 3 * * MON-FRI") {
  json::object spec = hello_spec(2, "true");
  spec["name"] = "nightly";
  spec["service"] = false;
  spec["cron_schedule"] = schedule;
  spec["cron_collision_policy"] = "CANCEL_NEW";
  return spec;
}

TEST_F(CliTest, CronScheduleShowStartDeschedule) {
  std::string file = write_job("nightly.json", nightly_spec());
  Run scheduled = run_ok({"cron", "schedule", kNightlyKey, file});
  EXPECT_THAT(scheduled.out, HasSubstr("Scheduled cron job devcluster/www-data/prod/nightly."));
  EXPECT_THAT(scheduled.out,
              HasSubstr("schedule:  0 3 * * MON-FRI (UTC), on collision CANCEL_NEW"));
  EXPECT_THAT(scheduled.out, HasSubstr(" 03:00:00 UTC\n"));
  EXPECT_THAT(scheduled.out, HasSubstr("recent runs: none"));

  Run started = run_ok({"cron", "start", kNightlyKey});
  EXPECT_EQ(started.out,
            "Cron job devcluster/www-data/prod/nightly: LAUNCHED: launched 2 instance(s).\n");

  auto json = parse_json(run_ok({"cron", "show", kNightlyKey, "--output", "json"}).out);
  ASSERT_TRUE(json.ok()) << json.status().to_string();
  auto shown = api::decode<api::CronJobInfo>(*json);
  ASSERT_TRUE(shown.ok()) << shown.status().to_string();
  EXPECT_EQ(shown->next_runs.size(), 5u);
  ASSERT_EQ(shown->runs.size(), 1u);
  EXPECT_EQ(shown->runs[0].outcome, "LAUNCHED");
  EXPECT_TRUE(shown->runs[0].manual);
  EXPECT_THAT(run_ok({"cron", "show", kNightlyKey}).out,
              HasSubstr("LAUNCHED (cron start)  launched 2 instance(s)"));

  // The run is an ordinary job: its tasks end FINISHED.
  Status finished = cluster_->wait_tasks(
      "www-data/prod/nightly",
      [](const json::array& tasks) {
        int done = 0;
        for (const json::value& t : tasks) done += t.at("status") == "FINISHED";
        return done == 2;
      },
      "both instances FINISHED");
  ASSERT_TRUE(finished.ok()) << finished.to_string();
  EXPECT_EQ(run_ok({"cron", "deschedule", kNightlyKey}).out,
            "Descheduled cron job devcluster/www-data/prod/nightly.\n");
  Run gone = run_failed({"cron", "show", kNightlyKey});
  EXPECT_THAT(gone.err, HasSubstr("devcluster/www-data/prod/nightly is not a scheduled cron job"));
}

TEST_F(CliTest, CronScheduleErrors) {
  Run bad = run_failed(
      {"cron", "schedule", kNightlyKey, write_job("bad.json", nightly_spec("0 3 * * FUNDAY"))});
  EXPECT_THAT(bad.err, HasSubstr("cron_schedule: cron schedule '0 3 * * FUNDAY': field 5"));
  Run plain = run_failed({"cron", "schedule", kHelloKey, hello_file_});
  EXPECT_THAT(plain.err, HasSubstr("has no cron_schedule: start it with `job create`"));
  Run create = run_failed({"job", "create", kNightlyKey, write_job("n.json", nightly_spec())});
  EXPECT_THAT(create.err, HasSubstr("cron jobs are scheduled (cron schedule), not created"));
  EXPECT_EQ(run({"cron", "start", "devcluster/www-data/prod"}).code, kExitUsage);
}

}  // namespace
}  // namespace borealis::cli::testing

#include "api/cron.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

CronRunInfo run() {
  return {1700000000000, 1700000000100, "LAUNCHED", true, 0, "launched 2", "2 FINISHED"};
}

CronJobInfo info() {
  return {"devcluster/www/prod/backup",
          "0 3 * * *",
          "CANCEL_NEW",
          "Europe/Berlin",
          "alice",
          1699999000000,
          "c1",
          true,
          {{1700010800000, "2023-11-15 03:00:00 CET"}},
          {run(), {1699990000000, 1700000000000, "MISSED", false, 3, "3 fire(s) missed"}}};
}

TEST(CronApiTest, RoundTrips) {
  expect_round_trip(info());
  expect_round_trip(CronJobInfo{.key = "c/r/e/n"});
  expect_round_trip(CronStartResult{run()});
}

TEST(CronApiTest, Shape) {
  EXPECT_EQ(json::serialize(encode(CronStartResult{run()})),
            R"({"run":{"due_ms":1700000000000,"at_ms":1700000000100,"outcome":"LAUNCHED",)"
            R"("manual":true,"missed":0,"message":"launched 2","result":"2 FINISHED"}})");
}

TEST(CronApiTest, RefusesMissingOrMistypedFields) {
  expect_refused(info(), "/cron/key", "key");
  expect_refused(info(), "/cron/runs/0/outcome", "outcome");
  expect_refused(info(), "/cron/next_runs/0/at_ms", "at_ms", json::value("soon"));
  expect_refused(CronStartResult{run()}, "/run", "run");
}

}  // namespace
}  // namespace borealis::api

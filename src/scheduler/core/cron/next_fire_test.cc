#include "scheduler/core/cron/next_fire.h"

#include <date/date.h>
#include <gtest/gtest.h>

namespace borealis::scheduler::cron {
namespace {

// Milliseconds since the epoch of a UTC wall time.
TimeMs utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  auto day = date::sys_days{date::year{y} / mo / d};
  auto t = day + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string show(TimeMs t) {
  return date::format("%F %R UTC",
                      date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
}

class NextFireTest : public ::testing::Test {
 protected:
  // The next `n` fires after `after`, as UTC text.
  std::vector<std::string> fires(const std::string& schedule, const std::string& zone, TimeMs after,
                                 int n) {
    auto expr = parse_cron(schedule);
    EXPECT_TRUE(expr.ok()) << expr.status().to_string();
    auto z = CronZone::locate(zone);
    EXPECT_TRUE(z.ok()) << z.status().to_string();
    std::vector<std::string> out;
    if (!expr.ok() || !z.ok()) return out;
    for (int i = 0; i < n; ++i) {
      auto next = next_fire(*expr, *z, after);
      EXPECT_TRUE(next.ok()) << next.status().to_string();
      if (!next.ok()) break;
      EXPECT_GT(*next, after);
      out.push_back(show(*next));
      after = *next;
    }
    return out;
  }
  using V = std::vector<std::string>;
};

TEST_F(NextFireTest, StepsInUtcAndStrictlyAfter) {
  EXPECT_EQ(fires("*/5 * * * *", "UTC", utc(2026, 11, 26, 10, 2, 30), 3),
            (V{"2026-11-26 10:05 UTC", "2026-11-26 10:10 UTC", "2026-11-26 10:15 UTC"}));
  // At the exact fire time, that fire is past.
  EXPECT_EQ(fires("*/5 * * * *", "UTC", utc(2026, 11, 26, 10, 5), 1), (V{"2026-11-26 10:10 UTC"}));
  EXPECT_EQ(fires("0 0 1 1 *", "UTC", utc(2026, 12, 31, 23, 59, 59) + 999, 1),
            (V{"2027-01-01 00:00 UTC"}));
}

TEST_F(NextFireTest, MonthEndsSkipShortMonths) {
  EXPECT_EQ(fires("0 0 31 * *", "UTC", utc(2027, 1, 31, 0, 0), 3),
            (V{"2027-03-31 00:00 UTC", "2027-05-31 00:00 UTC", "2027-07-31 00:00 UTC"}));
  EXPECT_EQ(fires("30 23 30 * *", "UTC", utc(2027, 1, 30, 23, 30), 2),
            (V{"2027-03-30 23:30 UTC", "2027-04-30 23:30 UTC"}));
}

TEST_F(NextFireTest, LeapDaysOnlyInLeapYears) {
  EXPECT_EQ(fires("0 0 29 2 *", "UTC", utc(2025, 3, 1, 0, 0), 2),
            (V{"2028-02-29 00:00 UTC", "2032-02-29 00:00 UTC"}));
  // 2100 is not a leap year: eight years between two leap days.
  EXPECT_EQ(fires("0 0 29 2 *", "UTC", utc(2096, 3, 1, 0, 0), 1), (V{"2104-02-29 00:00 UTC"}));
}

TEST_F(NextFireTest, DayOfMonthOrDayOfWeek) {
  // Thursday 2026-11-26: every Friday, and the 13th (a Sunday in December 2026).
  EXPECT_EQ(fires("0 9 13 * FRI", "UTC", utc(2026, 11, 26, 12, 0), 4),
            (V{"2026-11-27 09:00 UTC", "2026-12-04 09:00 UTC", "2026-12-11 09:00 UTC",
               "2026-12-13 09:00 UTC"}));
}

TEST_F(NextFireTest, NewYorkSpringForwardFiresOnceAtTheEndOfTheGap) {
  // 2026-03-08 02:00 EST (07:00 UTC) jumps to 03:00 EDT: 02:30 does not exist that day.
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", utc(2026, 3, 7, 12, 0), 2),
            (V{"2026-03-08 07:00 UTC", "2026-03-09 06:30 UTC"}));
  // 02:00, 02:30 and 03:00 local all land on 03:00 EDT: one fire for the three.
  EXPECT_EQ(fires("0,30 2,3 * * *", "America/New_York", utc(2026, 3, 8, 6, 0), 3),
            (V{"2026-03-08 07:00 UTC", "2026-03-08 07:30 UTC", "2026-03-09 06:00 UTC"}));
}

TEST_F(NextFireTest, NewYorkFallBackFiresARepeatedTimeOnce) {
  // 2026-11-01 02:00 EDT (06:00 UTC) falls back to 01:00 EST: 01:30 happens twice.
  EXPECT_EQ(fires("30 1 * * *", "America/New_York", utc(2026, 10, 31, 12, 0), 2),
            (V{"2026-11-01 05:30 UTC", "2026-11-02 06:30 UTC"}));
  // An every-30-minutes schedule does not repeat the hour either.
  EXPECT_EQ(fires("*/30 * * * *", "America/New_York", utc(2026, 11, 1, 5, 0), 3),
            (V{"2026-11-01 05:30 UTC", "2026-11-01 07:00 UTC", "2026-11-01 07:30 UTC"}));
  // Asked from inside the repeated hour (01:10 EST), the next fire is 02:00 EST.
  EXPECT_EQ(fires("*/30 * * * *", "America/New_York", utc(2026, 11, 1, 6, 10), 1),
            (V{"2026-11-01 07:00 UTC"}));
}

TEST_F(NextFireTest, BerlinBothChanges) {
  // 2026-03-29 02:00 CET (01:00 UTC) jumps to 03:00 CEST.
  EXPECT_EQ(fires("15 2 * * *", "Europe/Berlin", utc(2026, 3, 28, 12, 0), 2),
            (V{"2026-03-29 01:00 UTC", "2026-03-30 00:15 UTC"}));
  // 2026-10-25 03:00 CEST (01:00 UTC) falls back to 02:00 CET: 02:15 fires once.
  EXPECT_EQ(fires("15 2 * * *", "Europe/Berlin", utc(2026, 10, 24, 12, 0), 2),
            (V{"2026-10-25 00:15 UTC", "2026-10-26 01:15 UTC"}));
  EXPECT_EQ(fires("0 0 * * *", "Europe/Berlin", utc(2026, 10, 24, 12, 0), 2),
            (V{"2026-10-24 22:00 UTC", "2026-10-25 23:00 UTC"}));
}

TEST_F(NextFireTest, UnknownZoneIsAnError) {
  auto z = CronZone::locate("Mars/Olympus_Mons");
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.status().message().find("time zone 'Mars/Olympus_Mons'"), std::string::npos)
      << z.status().message();
  EXPECT_EQ(CronZone::utc().name(), "UTC");
}

}  // namespace
}  // namespace borealis::scheduler::cron

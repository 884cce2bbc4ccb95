#include "scheduler/core/cron/cron_expr.h"

#include <gtest/gtest.h>

namespace borealis::scheduler::cron {
namespace {

CronExpr parse_ok(std::string_view text) {
  auto r = parse_cron(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().to_string();
  return r.ok() ? *r : CronExpr{};
}

void expect_refused(std::string_view text, const std::string& fragment) {
  auto r = parse_cron(text);
  ASSERT_FALSE(r.ok()) << text << " was accepted";
  EXPECT_NE(r.status().message().find(fragment), std::string::npos)
      << text << ": " << r.status().message() << "\n  expected to contain: " << fragment;
}

TEST(CronExprTest, WildcardsSetEveryValue) {
  CronExpr e = parse_ok("* * * * *");
  EXPECT_TRUE(e.minutes.all());
  EXPECT_TRUE(e.hours.all());
  EXPECT_EQ(e.days_of_month.count(), 31u);
  EXPECT_EQ(e.months.count(), 12u);
  EXPECT_TRUE(e.days_of_week.all());
  EXPECT_TRUE(e.day_of_month_star);
  EXPECT_TRUE(e.day_of_week_star);
}

TEST(CronExprTest, ListsRangesAndSteps) {
  CronExpr e = parse_ok("*/15 1-23/2 1,15,31 3-4 1-5");
  EXPECT_EQ(e.minutes.to_ullong(), (1ull << 0) | (1ull << 15) | (1ull << 30) | (1ull << 45));
  EXPECT_EQ(e.hours.count(), 12u);  // 1, 3, ..., 23
  EXPECT_TRUE(e.hours[1] && e.hours[23] && !e.hours[2]);
  EXPECT_TRUE(e.days_of_month[1] && e.days_of_month[15] && e.days_of_month[31]);
  EXPECT_EQ(e.days_of_month.count(), 3u);
  EXPECT_TRUE(e.months[3] && e.months[4] && e.months.count() == 2);
  EXPECT_EQ(e.days_of_week.to_ulong(), 0b0111110u);
  EXPECT_FALSE(e.day_of_month_star);
  EXPECT_FALSE(e.day_of_week_star);
}

TEST(CronExprTest, NamesAreCaseInsensitiveAndSevenIsSunday) {
  CronExpr e = parse_ok("0 0 * jan,Mar-MAY sun");
  EXPECT_TRUE(e.months[1] && e.months[3] && e.months[4] && e.months[5]);
  EXPECT_EQ(e.months.count(), 4u);
  EXPECT_EQ(e.days_of_week.to_ulong(), 1u);
  EXPECT_EQ(parse_ok("0 0 * * 7").days_of_week.to_ulong(), 1u);
  EXPECT_EQ(parse_ok("0 0 * * FRI-7").days_of_week.to_ulong(), 0b1100001u);
  EXPECT_EQ(parse_ok("0 0 * * Mon-fri/2").days_of_week.to_ulong(), 0b0101010u);
}

TEST(CronExprTest, WhitespaceBetweenFieldsMayRepeat) {
  EXPECT_EQ(parse_ok("  5\t 4  * * *  ").minutes.to_ullong(), 1ull << 5);
}

TEST(CronExprTest, DayFieldsCombineWithOrWhenBothRestrict) {
  CronExpr both = parse_ok("0 0 13 * FRI");  // the 13th, and every Friday
  EXPECT_TRUE(both.matches_day(1, 13, 2));
  EXPECT_TRUE(both.matches_day(1, 9, 5));
  EXPECT_FALSE(both.matches_day(1, 10, 6));
  CronExpr dom_only = parse_ok("0 0 13 * *");
  EXPECT_TRUE(dom_only.matches_day(1, 13, 2));
  EXPECT_FALSE(dom_only.matches_day(1, 9, 5));
  // A field beginning with '*' does not restrict, even with a step (Vixie cron's rule).
  CronExpr stepped = parse_ok("0 0 */2 * MON");
  EXPECT_TRUE(stepped.day_of_month_star);
  EXPECT_TRUE(stepped.matches_day(1, 3, 1));
  EXPECT_FALSE(stepped.matches_day(1, 3, 2));
  EXPECT_FALSE(stepped.matches_day(1, 2, 1));
  EXPECT_FALSE(parse_ok("0 0 1 JAN *").matches_day(2, 1, 3));
}

TEST(CronExprTest, ErrorsNameTheFieldAndTheCharacter) {
  expect_refused("60 * * * *", "field 1 (minute) at character 1 ('6'): 60 is out of range 0-59");
  expect_refused("0 24 * * *", "field 2 (hour) at character 3 ('2'): 24 is out of range 0-23");
  expect_refused("0 0 32 * *", "field 3 (day of month) at character 5 ('3'): 32 is out of range");
  expect_refused("0 0 0 * *",
                 "field 3 (day of month) at character 5 ('0'): 0 is out of range 1-31");
  expect_refused("0 0 * 13 *", "field 4 (month) at character 7");
  expect_refused("0 0 * * 8", "field 5 (day of week) at character 9 ('8'): 8 is out of range 0-7");
  expect_refused("0 0 * FOO *", "field 4 (month) at character 7 ('F'): 'FOO' is not a month name");
  expect_refused("0 0 * * FEB", "'FEB' is not a day of week name");
  expect_refused("MON * * * *", "field 1 (minute) at character 1 ('M'): names are allowed only");
  expect_refused("1,,2 * * * *", "field 1 (minute) at character 3 (','): empty list element");
  expect_refused("1, * * * *", "field 1 (minute) at character 3 (the end): empty list element");
  expect_refused("0 5-1 * * *", "field 2 (hour) at character 5 ('1'): 5-1 is a range that runs");
  expect_refused("*/0 * * * *", "field 1 (minute) at character 3 ('0'): step 0 must be between");
  expect_refused("*/61 * * * *", "step 61 must be between 1 and 60");
  expect_refused("5/2 * * * *", "at character 2 ('/'): a step needs '*' or a range");
  expect_refused("0 0 * * 1x", "at character 10 ('x'): expected ',', '-' or '/'");
  expect_refused("0 0 * * 1-", "at character 11 (the end): expected a number");
  expect_refused("99999999999999999999 * * * *", "at character 1 ('9'): number too large");
  expect_refused("0 0 * * 0007", "number too large");
}

TEST(CronExprTest, FieldCountAndShape) {
  expect_refused("", "has 0 fields; a schedule has 5");
  expect_refused("* * * *", "has 4 fields; a schedule has 5");
  expect_refused("* * * * * *", "has 6 fields");
  expect_refused("@hourly", "macros such as @hourly are not supported");
  expect_refused(std::string(300, '*'), "300 bytes, longer than 256");
}

TEST(CronExprTest, ScheduleThatNeverFiresIsRefused) {
  expect_refused("0 0 30 2 *", "never fires");
  expect_refused("0 0 31 4,6,9,11 *", "never fires");
  parse_ok("0 0 29 2 *");    // leap days exist
  parse_ok("0 0 30 2 MON");  // OR rule: every Monday in February
  parse_ok("0 0 31 2,3 *");  // March 31st
}

TEST(CronExprTest, ErrorQuotesTheSchedule) {
  expect_refused("0 0 * * 9", "cron schedule '0 0 * * 9': field 5");
}

}  // namespace
}  // namespace borealis::scheduler::cron

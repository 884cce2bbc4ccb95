// A parsed five-field cron schedule (minute hour day-of-month month day-of-week), as
// Vixie cron and Aurora's CrontabEntry read it: lists, ranges, steps, `*`, and month
// and weekday names. Parsing is pure; when it fires is next_fire.h's business.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::scheduler::cron {

struct CronExpr {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;  // bit 0 unused
  std::bitset<13> months;         // bit 0 unused
  std::bitset<7> days_of_week;    // 0 is Sunday (7 is read as 0)
  // Vixie cron's rule: a day field that begins with `*` does not restrict. When both
  // day fields restrict, a day matches either of them (OR); otherwise both must match.
  bool day_of_month_star = false;
  bool day_of_week_star = false;
  std::string text;  // as written, for messages

  // Whether the calendar day (month 1-12, day 1-31, weekday 0-6 with 0 Sunday) matches.
  bool matches_day(unsigned month, unsigned day, unsigned weekday) const;
};

// The longest schedule accepted, in bytes.
inline constexpr size_t kMaxCronExprBytes = 256;

// Parses `text`. Errors name the field and the 1-based character position, e.g.
// "field 3 (day of month) at character 7: 32 is out of range 1-31". A schedule that can
// never fire (30 2 → no 30th of February) is refused here too.
Result<CronExpr> parse_cron(std::string_view text);

}  // namespace borealis::scheduler::cron

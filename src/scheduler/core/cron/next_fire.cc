#include "scheduler/core/cron/next_fire.h"

#include <date/tz.h>

namespace borealis::scheduler::cron {
namespace {

using std::chrono::floor;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kSearchDays = 30 * 366;

// The instant a local time fires at: its own when unique, the first occurrence when a
// fall-back repeats it, the end of the gap when a spring-forward skips it.
date::sys_seconds fire_instant(const date::time_zone& zone, date::local_seconds local) {
  date::local_info info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) return info.first.end;
  return date::sys_seconds{local.time_since_epoch()} - info.first.offset;
}

}  // namespace

Result<TimeMs> next_fire(const CronExpr& expr, const CronZone& zone, TimeMs after) {
  const date::time_zone& tz = *zone.zone();
  date::sys_seconds after_s{floor<seconds>(milliseconds(after))};
  // Local times before the one `after` shows all fire at or before it (fire_instant never
  // goes backwards as local time advances), so the search starts at that minute.
  date::local_seconds start = tz.to_local(after_s);
  date::local_days day = floor<date::days>(start);
  auto first_minute = floor<minutes>(start - day);
  for (int scanned = 0; scanned < kSearchDays; ++scanned) {
    date::year_month_day ymd{day};
    unsigned month = static_cast<unsigned>(ymd.month());
    if (!expr.months[month]) {  // skip to the 1st of the next month
      day = date::local_days{(ymd.year() / ymd.month() / 1) + date::months{1}};
      first_minute = minutes{0};
      continue;
    }
    unsigned weekday = date::weekday{day}.c_encoding();
    if (expr.matches_day(month, static_cast<unsigned>(ymd.day()), weekday)) {
      for (int h = static_cast<int>(first_minute.count() / 60); h < 24; ++h) {
        if (!expr.hours[h]) continue;
        for (int m = 0; m < 60; ++m) {
          minutes of_day = hours{h} + minutes{m};
          if (!expr.minutes[m] || of_day < first_minute) continue;
          date::sys_seconds fire = fire_instant(tz, day + of_day);
          TimeMs fire_ms = floor<milliseconds>(fire.time_since_epoch()).count();
          if (fire_ms > after) return fire_ms;
        }
      }
    }
    day += date::days{1};
    first_minute = minutes{0};
  }
  return invalid_argument("cron schedule '" + expr.text + "' does not fire in the 30 years after " +
                          date::format("%F %T UTC", after_s));
}

}  // namespace borealis::scheduler::cron

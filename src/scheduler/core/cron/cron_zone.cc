#include "scheduler/core/cron/cron_zone.h"

#include <date/tz.h>

#include <exception>

namespace borealis::scheduler::cron {

Result<CronZone> CronZone::locate(const std::string& name) {
  // The library reports an unknown zone or an unreadable database by throwing: keep that
  // inside this function.
  try {
    return CronZone(date::locate_zone(name), name);
  } catch (const std::exception& e) {
    return invalid_argument("time zone '" + name + "': " + e.what() +
                            " (zones are read from /usr/share/zoneinfo, package tzdata)");
  }
}

CronZone CronZone::utc() {
  Result<CronZone> z = locate("UTC");
  BOREALIS_CHECK(z.ok(), "the system tz database has no UTC: " + z.status().to_string());
  return *z;
}

std::string format_local(TimeMs t, const CronZone& zone) {
  auto at =
      date::sys_seconds{std::chrono::floor<std::chrono::seconds>(std::chrono::milliseconds{t})};
  return date::format("%F %T %Z", date::make_zoned(zone.zone(), at));
}

}  // namespace borealis::scheduler::cron

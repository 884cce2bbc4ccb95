// The time zone schedules are evaluated in, from the system's tz database
// (/usr/share/zoneinfo, read by Howard Hinnant's date "tz" library, Debian's libdate-tz:
// g++ 12's libstdc++ has no std::chrono::locate_zone yet).
#pragma once

#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace date {
class time_zone;
}

namespace borealis::scheduler::cron {

class CronZone {
 public:
  // "UTC", "America/New_York", ... NOT_FOUND-style INVALID_ARGUMENT when unknown.
  static Result<CronZone> locate(const std::string& name);
  static CronZone utc();

  const date::time_zone* zone() const { return zone_; }
  const std::string& name() const { return name_; }

 private:
  CronZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;  // owned by the library's database, lives forever
  std::string name_;
};

// `t` as local time in `zone`, with its abbreviation: "2026-03-08 03:00:00 EDT".
std::string format_local(TimeMs t, const CronZone& zone);

}  // namespace borealis::scheduler::cron

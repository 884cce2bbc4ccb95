// When a schedule fires next, in a time zone, with daylight-saving changes handled as
// Vixie cron and cronie handle fixed-time jobs:
//   - a local time skipped by a spring-forward fires once, at the end of the gap (the
//     first instant after it); several skipped times collapse into that one fire;
//   - a local time repeated by a fall-back fires once, at its first occurrence.
// Every other matching local minute fires exactly once, at second 0.
//
// Cost: walks the calendar day by day (months that cannot match are skipped whole) and
// only the matching hours and minutes of a matching day; never minute by minute.
#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "scheduler/core/cron/cron_expr.h"
#include "scheduler/core/cron/cron_zone.h"

namespace borealis::scheduler::cron {

// The first fire strictly after `after` (ms since the epoch). An error only for a
// schedule with no fire in the next 30 years (parse_cron refuses those already).
Result<TimeMs> next_fire(const CronExpr& expr, const CronZone& zone, TimeMs after);

}  // namespace borealis::scheduler::cron

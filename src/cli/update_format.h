// Human output of the update commands (`update info`, `update list`, the lines the
// verbs print) and of update settings (shared with `job inspect`).
//
// Pure functions of their inputs; `now` is passed in so ages are testable.
#pragma once

#include <string>

#include "cli/update_types.h"
#include "common/clock.h"
#include "jobspec/job_spec.h"

namespace borealis::cli {

// "queue of 2, watch 45s, failures allowed: 0 per instance, 0 in total, rollback on failure"
std::string format_update_config(const jobspec::UpdateConfig& u);
// The same from the API's `settings` JSON; the JSON itself if it cannot be read.
std::string format_update_settings(const json::value& settings);

// "update 1b4e... of devcluster/www-data/prod/web: ROLLING_FORWARD, 4/10 done, batch 3,
// 2 in flight, 0 failed"
std::string format_update_line(const UpdateSummary& u);

// Summary, the steps of the forward plan (and of the rollback once it started), and the
// event log with the newest `max_events` events.
std::string format_update_info(const UpdateDetail& d, TimeMs now, size_t max_events = 50);

// One row per update, newest first; "No updates in SCOPE." when there are none.
std::string format_update_list(const UpdateList& list, const std::string& scope, TimeMs now);

}  // namespace borealis::cli

// Human output of the CLI's reading commands: golden-tested text, aligned tables.
// (`--output json` prints the API's JSON instead; see commands.)
//
// Pure functions of their inputs; `now` is passed in so ages are testable.
#pragma once

#include <map>
#include <string>

#include "cli/api_types.h"
#include "common/clock.h"

namespace borealis::cli {

// 45s, 3m, 2h5m, 4d3h. Negative durations print as 0s.
std::string format_age(TimeMs ms);
// "admin=31001,http=31000"
std::string format_ports(const std::map<std::string, int64_t>& ports);
// 4, 0.5, 1.25: at most two decimals, no trailing zeros.
std::string format_number(double v);

// When the task last changed status (its newest event), 0 when it has no events.
TimeMs last_change_ms(const TaskInfo& task);

// A job's summary line, its active tasks (with the reason a PENDING task waits) and its
// recently ended tasks (the newest `max_ended`).
std::string format_job_status(const JobSummary& job, const TaskList& tasks, TimeMs now,
                              size_t max_ended = 10);
std::string format_job_list(const JobList& jobs, const std::string& scope);
std::string format_agents(const AgentList& agents, TimeMs now);

}  // namespace borealis::cli

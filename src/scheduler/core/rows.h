// Row encoding: the format of jobs, tasks, agents and updates in the store. Rows are JSON
// so an operator can read them with sqlite3 when something looks wrong; job versions
// are stored as their canonical JSON (job_version.h). Decoding is in row_restore.h.
#pragma once

#include <string>

#include "scheduler/core/model.h"
#include "scheduler/core/update.h"

namespace borealis::scheduler {

// `agent_id` is the id of the agent the task is placed on, or empty.
std::string task_row(const Task& t, const std::string& agent_id);
std::string job_row(const Job& j);
std::string agent_row(const Agent& a);
std::string update_row(const Update& u);

}  // namespace borealis::scheduler

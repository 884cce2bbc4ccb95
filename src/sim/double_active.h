// The check that a failover ran no instance twice: from the task ids the simulated agents
// run, the instances that have more than one. The scheduler names a task
// ROLE-ENV-JOB-INSTANCE-UUID (docs/cli.md), so the instance is the id without its UUID's five
// dash-separated groups.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace borealis::sim {

// "www-data-devel-sim-000001-7-1b4e28ba-2fa1-41d2-883f-0016d3cca427" ->
// "www-data-devel-sim-000001-7"; an id without five dashes is its own instance.
std::string instance_of(const std::string& task_id);

// The instances (instance_of) that appear more than once in `task_ids`, sorted.
std::vector<std::string> instances_active_twice(const std::vector<std::string>& task_ids);

}  // namespace borealis::sim

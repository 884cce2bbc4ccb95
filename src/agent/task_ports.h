// A task's ports as the agent's API shows them: every name it binds (aliases and fixed
// ports included, as the scheduler sent them) and Announcer.primary_port's endpoint.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "agent/health_spec.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

struct TaskPortsView {
  std::map<std::string, int64_t> ports;
  std::string primary_endpoint;  // "host:port"; "" when the job has no announcer
};

TaskPortsView task_ports_view(const jobspec::JobSpec& job, const TaskFacts& facts);

}  // namespace borealis::agent

// How a task's port names get their numbers, as Aurora's PortResolver does it.
//
// A task names ports in its cmdlines ({{thermos.ports[http]}}) and in
// Announcer.portmap, whose entries either alias another name ('aurora': 'http', chains
// allowed) or fix a number ('admin': '8080'). The scheduler allocates the `dynamic` names
// from the agent's port range, holds each `fixed` number on the host, and hands the task
// the full map (task_port_map), aliases included, in task.json's `ports`: the runner binds
// {{thermos.ports[alias]}} from it like any other name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "jobspec/job_spec.h"

namespace borealis::jobspec {

struct PortPlan {
  // Names allocated from the agent's range (requested_ports), sorted.
  std::vector<std::string> dynamic;
  // Each distinct fixed number once, under the first name (by name) that resolves to it.
  std::vector<std::pair<std::string, uint16_t>> fixed;
  // Every other name -> the dynamic or fixed name whose number it shares.
  std::map<std::string, std::string> aliases;

  bool operator==(const PortPlan&) const = default;
};

PortPlan port_plan(const JobSpec& job);

// The map a task binds: `held` (its dynamic and fixed ports, by name) plus every alias
// of a held name.
std::map<std::string, int64_t> task_port_map(const PortPlan& plan,
                                             const std::map<std::string, int64_t>& held);

// Refuses a portmap whose aliases form a cycle or whose fixed ports are not 1..65535.
// Errors name the field: "announce.portmap[admin]: ...".
Status check_portmap(const std::map<std::string, std::string>& portmap);

}  // namespace borealis::jobspec

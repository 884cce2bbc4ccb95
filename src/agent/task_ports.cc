#include "agent/task_ports.h"

#include "api/serverset.h"

namespace borealis::agent {

TaskPortsView task_ports_view(const jobspec::JobSpec& job, const TaskFacts& facts) {
  TaskPortsView v{facts.ports, ""};
  if (job.announce) {
    auto member = api::serverset_member(facts.hostname, facts.ports, job.announce->primary_port,
                                        facts.instance);
    v.primary_endpoint = api::endpoint_text(member.service_endpoint);
  }
  return v;
}

}  // namespace borealis::agent

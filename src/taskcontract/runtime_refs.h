// The runtime references: the {{}} references in a task that only the host it lands on can
// bind, and their binder. One list for everyone: the scheduler refuses a JobSpec whose
// cmdlines use any other reference, the runner binds them in cmdlines at launch, and the
// agent binds them in shell health checks.
//
//   {{thermos.ports[NAME]}}  the port assigned to NAME    {{thermos.task_id}}  the task id
//   {{thermos.user}}         the task's user               {{mesos.instance}}   its instance
//   {{mesos.hostname}}       the agent's host name
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "taskcontract/task_spec.h"

namespace borealis::taskcontract {

// For messages: "thermos.ports[NAME], thermos.task_id, ...".
inline constexpr std::string_view kRuntimeReferenceList =
    "thermos.ports[NAME], thermos.task_id, thermos.user, mesos.instance and mesos.hostname";

// True when `ref` (canonical text, e.g. "thermos.ports[http]") is a runtime reference.
bool is_runtime_reference(std::string_view ref);

// Every reference in `text` (a cmdline) is a runtime reference, and the text parses. The
// message does not include a field path.
Status check_runtime_references(std::string_view text);

// What a launched task's references are bound to.
struct RuntimeFacts {
  std::string task_id;
  int64_t instance = 0;
  std::string hostname;
  std::string user;
  std::map<std::string, int64_t> ports;
};

// The value of each runtime reference, keyed by its canonical text.
std::map<std::string, std::string> runtime_bindings(const RuntimeFacts& facts);

// Rewrites every process cmdline of spec->task in place. `user` is the value of
// {{thermos.user}} (the task's user, or the runner's when task.json names none). A
// reference left unbound is an error naming the process and the reference, as Thermos
// refuses a task it cannot fully interpolate.
Status bind_runtime_references(LaunchSpec* spec, const std::string& user);

}  // namespace borealis::taskcontract

// Binds the runtime references of a task's cmdlines at launch, with the one template
// engine (src/template): {{thermos.ports[NAME]}}, {{thermos.task_id}}, {{thermos.user}},
// {{mesos.instance}}, {{mesos.hostname}}. Any reference still unbound afterwards is an
// error naming the process and the reference, as Thermos refuses a task it cannot fully
// interpolate.
//
// Thread-safety: pure function.
#pragma once

#include "common/status.h"
#include "runner/task_spec.h"

namespace borealis::runner {

// Rewrites every process cmdline of spec->task in place. `user` is the value of
// {{thermos.user}} (the task's user, or the runner's when task.json names none).
Status bind_runtime_references(LaunchSpec* spec, const std::string& user);

}  // namespace borealis::runner

// Aurora's rules for a job that JobSpec validation (src/spec/validate.h) does not make,
// checked on the job's Aurora-shaped JSON. Taken from Aurora's client (config/thrift.py,
// client/config.py, thermos/config/loader.py) and scheduler (ConfigurationManager).
// Every error names the field path ("announce.portmap[http]: ...").
//
// Pure functions; any thread.
#pragma once

#include "common/json.h"

namespace borealis::config {

// Every {{}} reference left in the job must be one the runner binds (thermos.ports[NAME],
// thermos.task_id, thermos.user, mesos.instance, mesos.hostname); any other was never
// bound, which Aurora refuses ("unbound variables").
Status check_references(const json::value& job);

// The rest: resources of at least 1 MiB, announcer port aliases and static ports,
// 'dedicated' constraints, process ordering (daemon/ephemeral), SLA policies that leave an
// instance to drain, tier names, the executor.
Status check_aurora_rules(const json::value& job);

}  // namespace borealis::config

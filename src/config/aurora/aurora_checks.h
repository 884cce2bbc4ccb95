// Aurora's rules for a job that JobSpec validation (src/spec/validate.h) does not make,
// checked on the job's Aurora-shaped JSON. Everything a JobSpec must satisfy to run
// (process order, names, runtime references in cmdlines, ...) is JobSpec validation's,
// which the loader calls too; these add only what Aurora's client refuses besides. Taken from
// Aurora's client (config/thrift.py, client/config.py, thermos/config/loader.py) and scheduler
// (ConfigurationManager). Every error names the field path ("announce.portmap[http]: ...").
//
// Pure functions; any thread.
#pragma once

#include "common/json.h"

namespace borealis::config {

// Every {{}} reference left anywhere in the job must be a runtime reference
// (taskcontract/runtime_refs.h); any other was never bound, which Aurora refuses
// ("unbound variables").
Status check_references(const json::value& job);

// The rest: resources of at least 1 MiB, announcer port aliases and static ports,
// 'dedicated' constraints, SLA policies that leave an instance to drain, tier names, the
// executor.
Status check_aurora_rules(const json::value& job);

}  // namespace borealis::config

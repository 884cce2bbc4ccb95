// Ending what a test cluster leaves behind. Tasks outlive their agents by design (a
// destroyed Agent leaves its runners running), so a test cluster must kill them itself:
// the runners the sandboxes' checkpoints name, every process in their sessions, and any
// process whose working directory is under the cluster's directory (what
// tests/e2e/leftovers.py does for the e2e tests).
#pragma once

#include <string>
#include <vector>

namespace borealis::testing {

// SIGKILLs those processes, reaps the runners that are children of this process, and
// returns once they are gone (or after a few seconds). `sandbox_roots` are the agents'
// "<work dir>/sandboxes" directories; `root` holds them all. Never signals this process.
void kill_task_processes(const std::string& root, const std::vector<std::string>& sandbox_roots);

}  // namespace borealis::testing

// Re-executing the scheduler as a fresh process (same binary, same arguments): how a
// leader that lost its leadership becomes a candidate again with nothing of its old state,
// so three schedulers stay three without a supervisor (docs/operations.md).
#pragma once

#include <string>

namespace borealis::scheduler {

// Logs `why`, closes every descriptor but stdin/stdout/stderr on exec, and execs
// /proc/self/exe with the arguments of /proc/self/cmdline. The first caller wins; a second
// thread calling it waits for the exec. Exits with 75 (EX_TEMPFAIL) if exec fails.
[[noreturn]] void reexec_self(const std::string& why);

}  // namespace borealis::scheduler

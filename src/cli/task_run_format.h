// How `borealis task run` shows one instance's answer: its output's lines prefixed with the
// instance ("[3] ..."), printable like `job logs` shows them (control characters as ^X,
// long lines cut), and what went wrong, if anything, for stderr.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "api/task_run.h"

namespace borealis::cli {

// The output's lines, each "[N] LINE\n" (the prefix coloured when `colour`).
std::string task_run_output(int32_t instance, const api::TaskRunResult& r, bool colour);
// "" when the command exited 0 with all its output shown; else one line per problem, e.g.
// "instance 3: `CMD` exited with status 2\n".
std::string task_run_problems(int32_t instance, const std::string& command,
                              const api::TaskRunResult& r);

}  // namespace borealis::cli

// The rules for a task's processes and their order, in one place: the scheduler's JobSpec
// validation and the runner both call check_processes, so a task the runner would refuse
// is refused when it is submitted (with 400 and the field named).
//
// They are Thermos's: process names are unique and usable as directory names (a process's
// logs live in .logs/<name>/); every order constraint names known processes, never mixes
// final and regular processes, never makes a process wait for a daemon (it never
// finishes) nor a regular process wait for an ephemeral one (the task does not wait for
// it, so it may never finish); and the constraints have no cycle.
//
// Every error names the field: "task.constraints[0].order: process 'b' may not wait on
// daemon process 'a' (a daemon never finishes)".
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::taskcontract {

// What the rules need to know of a process; views into the caller's own types.
struct ProcessView {
  std::string_view name;
  bool daemon = false;
  bool ephemeral = false;
  bool final = false;
};

// One constraint's `order`: process names, each to run after the one before it.
using OrderView = std::span<const std::string>;

// A name usable as a directory name: 1-255 bytes, not starting with '.', no '/' or NUL.
// The message does not include a field path.
Status check_process_name(std::string_view name);

// At least one process; names path-safe and unique; order constraints as above.
Status check_processes(std::span<const ProcessView> processes, std::span<const OrderView> orders);

}  // namespace borealis::taskcontract

// The runner's part of the task directory's layout (taskcontract/sandbox_layout.h,
// docs/internals/runner-sandbox.md "Layout"). The agent makes <task dir>/ and .runner/;
// the runner checks that no one else can write them, then makes .logs/ and the task's
// work dir, sandbox/, and hands them to the task's user and group.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <optional>
#include <string>

#include "common/beneath.h"
#include "common/result.h"
#include "runner/user_db.h"

namespace borealis::runner {

// kFailedPrecondition unless <task dir>/ and its .runner/ are directories (no symlinks)
// owned by this process's user that no group or other may write: only then can the task
// not rename, replace or plant anything in .runner/, and the checkpoint be opened there.
Status check_task_dir(const std::string& task_dir);

struct TaskDirs {
  Fd logs;               // <task dir>/.logs, for *at() calls
  std::string work_dir;  // <task dir>/sandbox: cwd and HOME of the processes
};

// Creates (or reuses) .logs/ and sandbox/. With `ids` (the runner is root and switches
// users): the task dir and .logs/ get the task's group (.logs/ setgid, so the logs
// inherit it) and sandbox/ belongs to the task's user and group, all mode 0750.
Result<TaskDirs> make_task_dirs(const std::string& task_dir, const std::optional<UserIds>& ids);

}  // namespace borealis::runner

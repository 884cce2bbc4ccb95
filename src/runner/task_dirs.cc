#include "runner/task_dirs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "taskcontract/sandbox_layout.h"

namespace borealis::runner {

namespace {

namespace layout = taskcontract;

Status check_private(const Fd& dir, const std::string& name) {
  struct stat st {};
  if (::fstat(dir.get(), &st) != 0)
    return io_error("cannot stat " + name + ": " + std::strerror(errno));
  if (st.st_uid != ::geteuid())
    return failed_precondition(name + " belongs to uid " + std::to_string(st.st_uid) +
                               ", not to the runner's uid " + std::to_string(::geteuid()));
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    return failed_precondition(name + " is writable by its group or others (mode " + mode + ")");
  }
  return Status();
}

// mkdirat unless it exists, then opens it beneath `dir` (a symlink is refused).
Result<Fd> make_dir(const Fd& dir, const std::string& dir_name, const char* name, unsigned mode) {
  if (::mkdirat(dir.get(), name, mode) != 0 && errno != EEXIST)
    return io_error("cannot create " + dir_name + "/" + name + ": " + std::strerror(errno));
  return open_beneath(dir, dir_name, name, OpenIntent::kDirectory);
}

Status set_owner(const Fd& fd, const std::string& name, uid_t uid, gid_t gid, unsigned mode) {
  if (::fchown(fd.get(), uid, gid) != 0 || ::fchmod(fd.get(), mode) != 0)
    return io_error("cannot hand " + name + " to uid " + std::to_string(uid) + " gid " +
                    std::to_string(gid) + ": " + std::strerror(errno));
  return Status();
}

}  // namespace

Status check_task_dir(const std::string& task_dir) {
  BOREALIS_ASSIGN_OR_RETURN(Fd dir, open_directory(task_dir));
  BOREALIS_RETURN_IF_ERROR(check_private(dir, task_dir));
  BOREALIS_ASSIGN_OR_RETURN(
      Fd runner, open_beneath(dir, task_dir, layout::kRunnerDir, OpenIntent::kDirectory));
  return check_private(runner, task_dir + "/" + layout::kRunnerDir);
}

Result<TaskDirs> make_task_dirs(const std::string& task_dir, const std::optional<UserIds>& ids) {
  BOREALIS_ASSIGN_OR_RETURN(Fd dir, open_directory(task_dir));
  TaskDirs out;
  BOREALIS_ASSIGN_OR_RETURN(out.logs,
                            make_dir(dir, task_dir, layout::kLogsDir, layout::kLogsDirMode));
  BOREALIS_ASSIGN_OR_RETURN(Fd work,
                            make_dir(dir, task_dir, layout::kWorkDir, layout::kWorkDirMode));
  out.work_dir = layout::work_dir_of(task_dir);
  if (ids) {
    uid_t me = ::geteuid();
    // The task may enter its directory (to reach sandbox/) and read its logs, no more.
    BOREALIS_RETURN_IF_ERROR(set_owner(dir, task_dir, me, ids->gid, layout::kTaskDirMode));
    BOREALIS_RETURN_IF_ERROR(set_owner(out.logs, task_dir + "/" + layout::kLogsDir, me, ids->gid,
                                       layout::kLogsDirMode | S_ISGID));
    BOREALIS_RETURN_IF_ERROR(
        set_owner(work, out.work_dir, ids->uid, ids->gid, layout::kWorkDirMode));
  }
  return out;
}

}  // namespace borealis::runner

// The layout of a task's directory, shared by the agent and the runner
// (docs/internals/runner-sandbox.md, "Layout"). The task directory and everything in it
// but `sandbox/` belong to root (or the agent's user): the task can neither write nor
// rename `.runner/` and `.logs/`, only work in its own `sandbox/`.
//
//   <task dir>/                 0750, owner root, group the task's group
//     .runner/                  0700, root: task.json, job.json, checkpoint, runner.log,
//                               health_check.out
//     .logs/<process>/<run>/    0750, root, the task's group; stdout, stderr 0640
//     sandbox/                  0750, the task's user and group: cwd and HOME of every
//                               process and health check (Aurora's sandbox)
//
// Paths here are relative to the task directory, for common/beneath.h.
#pragma once

#include <string>

namespace borealis::taskcontract {

inline constexpr char kRunnerDir[] = ".runner";
inline constexpr char kLogsDir[] = ".logs";
inline constexpr char kWorkDir[] = "sandbox";

inline constexpr char kTaskJsonPath[] = ".runner/task.json";
inline constexpr char kJobJsonPath[] = ".runner/job.json";
inline constexpr char kCheckpointName[] = "checkpoint";
inline constexpr char kCheckpointPath[] = ".runner/checkpoint";
inline constexpr char kRunnerLogPath[] = ".runner/runner.log";
inline constexpr char kHealthCheckOutPath[] = ".runner/health_check.out";

inline constexpr unsigned kTaskDirMode = 0750;
inline constexpr unsigned kRunnerDirMode = 0700;
inline constexpr unsigned kLogsDirMode = 0750;
inline constexpr unsigned kLogFileMode = 0640;
inline constexpr unsigned kWorkDirMode = 0750;
inline constexpr unsigned kRunnerFileMode = 0600;

// The processes' working directory inside `task_dir`.
inline std::string work_dir_of(const std::string& task_dir) { return task_dir + "/" + kWorkDir; }

}  // namespace borealis::taskcontract

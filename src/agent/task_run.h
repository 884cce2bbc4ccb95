// What `POST /api/v1/tasks/ID/run` runs (docs/agent-api.md): the request's command as a
// SandboxCommand in the task's work dir, as the task's user, with its stdout and stderr
// into a pipe the agent reads on its loop. The answer keeps the first
// api::kTaskRunMaxOutputBytes of the output and counts the rest; once the command ended,
// output still arriving (a process that left its group) is read for at most a second more.
//
// Ownership: start() keeps the run alive until `done`, which runs once on the io_context's
// thread. Threading: the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <string>

#include "agent/task_user.h"
#include "api/task_run.h"

namespace borealis::agent {

using TaskRunDone = std::function<void(Result<api::TaskRunResult>)>;

// `work_dir` is the task's work dir (check_dir of its task directory).
void start_task_run(boost::asio::io_context& io, const std::string& task_id,
                    const api::TaskRunRequest& request, const std::string& work_dir,
                    const RunAs& who, TaskRunDone done);

}  // namespace borealis::agent

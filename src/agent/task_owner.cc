#include "agent/task_owner.h"

#include "agent/sandbox_fs.h"
#include "taskcontract/task_spec.h"

namespace borealis::agent {

Result<TaskOwner> read_task_owner(const std::string& sandbox) {
  BOREALIS_ASSIGN_OR_RETURN(Fd fd, open_in_sandbox(sandbox, ".runner/task.json"));
  if (is_directory(fd)) return invalid_argument(sandbox + "/.runner/task.json is a directory");
  BOREALIS_ASSIGN_OR_RETURN(
      FileChunk chunk, read_chunk(fd, 0, static_cast<int64_t>(taskcontract::kMaxTaskJsonBytes)));
  auto spec = taskcontract::parse_launch_spec(chunk.data);
  if (!spec.ok()) return spec.status().with_context(sandbox + "/.runner/task.json");
  return TaskOwner{spec->role, spec->environment, spec->job, spec->instance};
}

}  // namespace borealis::agent

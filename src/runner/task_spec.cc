#include "runner/task_spec.h"

#include "common/beneath.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::runner {

Result<LaunchSpec> load_launch_spec(const std::string& task_dir) {
  std::string path = task_dir + "/" + taskcontract::kTaskJsonPath;
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_beneath(task_dir, taskcontract::kTaskJsonPath,
                                                           taskcontract::kMaxTaskJsonBytes));
  auto spec = taskcontract::parse_launch_spec(text);
  if (!spec.ok()) return spec.status().with_context(path);
  Status st = taskcontract::validate_task(spec->task);
  if (!st.ok()) return st.with_context(path);
  return spec;
}

}  // namespace borealis::runner

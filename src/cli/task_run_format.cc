#include "cli/task_run_format.h"

#include "cli/log_lines.h"
#include "cli/log_tail.h"

namespace borealis::cli {

namespace {
constexpr size_t kMaxLineBytes = 16 * 1024;  // as `job logs`
}  // namespace

std::string task_run_output(int32_t instance, const api::TaskRunResult& r, bool colour) {
  LineCutter cutter(kMaxLineBytes);
  std::vector<std::string> lines = cutter.feed(r.output);
  if (auto last = cutter.flush()) lines.push_back(*last);
  std::string prefix = instance_prefix(instance, colour), out;
  for (const std::string& line : lines) out += prefix + line + "\n";
  return out;
}

std::string task_run_problems(int32_t instance, const std::string& command,
                              const api::TaskRunResult& r) {
  std::string who = "instance " + std::to_string(instance) + ": `" + command + "` ";
  std::string out;
  if (r.timed_out)
    out += who + "timed out after " + std::to_string(r.duration_ms) + " ms and was killed\n";
  else if (r.signal != 0)
    out += who + "was killed by signal " + std::to_string(r.signal) + "\n";
  else if (r.exit_code != 0)
    out += who + "exited with status " + std::to_string(r.exit_code) + "\n";
  if (r.output_cut)
    out += "instance " + std::to_string(instance) + ": output cut after " +
           std::to_string(r.output.size()) + " of " + std::to_string(r.output_bytes) + " bytes\n";
  return out;
}

}  // namespace borealis::cli

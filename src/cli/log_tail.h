// The engine of `borealis job tail`: follows one log stream of every selected instance of
// a job at once, switching to an instance's new task when it is replaced. It talks to the
// cluster only through a TailSource, so tests drive it with a scripted one.
//
// Each round reads once from every followed instance (one request at a time per instance);
// the caller sleeps between rounds and decides how often the tasks are looked up again.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/log_lines.h"
#include "common/result.h"

namespace borealis::cli {

// An instance's active task, as the scheduler places it.
struct TailTarget {
  int32_t instance = 0;
  std::string task_id;
  std::string agent_address;  // "" while the task is not placed
};

// A process's log file: its newest run and that stream's size.
struct LogFileInfo {
  int64_t run = 0;
  int64_t size = 0;
};

// What the tail reads from the cluster.
class TailSource {
 public:
  virtual ~TailSource() = default;
  // The active task of every selected instance, by instance id.
  virtual Result<std::vector<TailTarget>> targets() = 0;
  // The names of the processes that have logs in the task's sandbox.
  virtual Result<std::vector<std::string>> logged_processes(const TailTarget& t) = 0;
  // The newest run of `process` and the size of its `stream`; NOT_FOUND before it has one.
  virtual Result<LogFileInfo> locate(const TailTarget& t, const std::string& process,
                                     const std::string& stream) = 0;
  virtual Result<std::string> read(const TailTarget& t, const std::string& process,
                                   const std::string& stream, int64_t run, int64_t offset,
                                   int64_t length) = 0;
};

struct TailSettings {
  std::vector<std::string> processes;  // the job's processes, in the config's order
  std::string process;                 // --process; "" = the last of `processes` with logs
  std::string stream = "stdout";
  size_t lines = 10;    // shown of each instance's output at the start
  bool colour = false;  // colour the "[N] " prefixes (a terminal)
  size_t max_line_bytes = 16 * 1024;
  int64_t window_bytes = 256 * 1024;  // read at the start to find the last lines
  int64_t read_bytes = 1024 * 1024;   // most bytes one read asks for
};

class JobTail {
 public:
  JobTail(TailSource& source, TailSettings settings, std::ostream& out, std::ostream& err);

  // Looks the tasks up again: follows new instances and replaced tasks (saying so on err),
  // drops instances without an active task. The first call shows the last lines of each.
  // Fails on an error reading the task list, and on a refusal (401/403) from an agent.
  Status refresh();
  // Reads once from each followed instance and prints the lines that completed. Returns
  // whether any bytes arrived. Fails only on a refusal; other errors are said once on err
  // and tried again next round.
  Result<bool> poll();
  // Prints the unfinished last line of each instance (the end of --no-follow).
  void finish();

  // The task followed for an instance, "" when none (for tests).
  std::string task_of(int32_t instance) const;

 private:
  struct Follow {
    Follow(TailTarget t, size_t max_line_bytes) : target(std::move(t)), cutter(max_line_bytes) {}
    TailTarget target;
    std::string process;  // "" until the task has a process with logs
    int64_t run = -1;     // -1 until its log file was found
    int64_t offset = 0;
    LineCutter cutter;
    bool from_last_lines = false;  // followed since the start: begin with its last lines
    std::string last_error;        // said once, until it changes
  };

  // --process, else the last process of the config with logs; "" while none has.
  Result<std::string> choose_process(const Follow& f);
  // The process to follow and its file; nullopt while the task has none yet.
  Result<std::optional<LogFileInfo>> locate(Follow& f);
  // Finds the file to follow, and a newer run of the process (it restarted in its task).
  Status check_run(Follow& f);
  // Starts on a file: from its last lines, or from its beginning.
  Status begin(Follow& f, const LogFileInfo& info);
  Status show_last_lines(Follow& f, const LogFileInfo& info);
  // Reads what is new; returns the number of bytes.
  Result<int64_t> read_new(Follow& f);
  // The last output of a task or run being left, and its unfinished line.
  Status drain(Follow& f);
  void print(int32_t instance, const std::vector<std::string>& lines);
  // Says an error of one instance once (until it changes); a refusal is returned.
  Status report(Follow& f, const Status& st);
  void note(int32_t instance, const std::string& message);

  TailSource& source_;
  TailSettings settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::map<int32_t, std::unique_ptr<Follow>> follows_;
  bool first_refresh_ = true;
};

// "[3] " (coloured when `colour`: one of six colours by instance id).
std::string instance_prefix(int32_t instance, bool colour);

}  // namespace borealis::cli

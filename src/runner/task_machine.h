// TaskMachine: the runner's scheduling logic as a pure, clock-driven state machine. It
// decides which process runs next, when to signal, and when the task is done; it does
// no I/O itself: processes start and are signalled through ProcessControl, state changes
// go to a RecordSink (the checkpoint), and time is the `now` given to each call.
//
// Semantics (Apache Thermos, checked against thermos/core/runner.py and
// thermos/common/planner.py; where we differ it says so):
// - A run succeeds on exit 0. A failed run is retried until the process has failed
//   `max_failures` times (0 = retry forever); then it has failed for good.
// - `daemon`: a successful run is restarted too; failures still count.
// - `min_duration`: a process is restarted no sooner than `min_duration` after its
//   previous run ended (Thermos measures from the end, which also keeps two starts at
//   least `min_duration` apart). The first run starts at once.
// - A run that dies of a signal the runner did not send is a failed run (Thermos would
//   call it KILLED and rerun it without counting; the contract counts it, so a crash by
//   SIGSEGV or an operator's kill -9 is not retried forever).
// - `order` constraints: a process starts only after every process before it in each
//   order list has succeeded; if one of those failed for good (or will never run), it
//   never runs either.
// - `ephemeral`: the task does not wait for it; its failures do not count against the
//   task. Once every non-ephemeral regular process is done it is killed with the rest.
//   (An ephemeral process that failed for good blocks the ephemeral processes ordered
//   after it; Thermos would let them run.)
// - `max_concurrency` (0 = unlimited) caps running processes of the current stage;
//   processes start in the order they are listed.
// - Stages (task states): ACTIVE runs the regular processes. The task leaves ACTIVE when
//   every non-ephemeral regular process is done, when `max_failures` processes have
//   failed for good (task max_failures; 0 = process failures never end the task), or on
//   kill(). CLEANING: SIGTERM to every process of the task (ProcessControl::signal_task:
//   the runs and whatever they forked, in their group or not), SIGKILL to every process
//   after the kill grace (5 s), repeated until none is left, so processes forked during
//   teardown die too; the stage ends when no process of the task is left. (Thermos sends
//   SIGTERM only to each process's pid and the runner's orphans.) FINALIZING: the `final` processes
//   run, with their own order constraints, until they are done or until `finalization_wait` after
//   CLEANING began (Thermos' budget for the whole shutdown); then every process of the task left is
//   SIGKILLed (as in CLEANING, until none is left) and the ones not started never start.
// - Terminal state: KILLED after kill(); otherwise FAILED when task max_failures was
//   reached or a non-ephemeral regular process never ran because a process it waits for
//   failed (Thermos calls that deadlock); otherwise SUCCESS. Final processes do not
//   change the outcome.
// - Process runs signalled by the runner end as KILLED. A run still not reaped
//   `reap_timeout` after its SIGKILL (stuck in the kernel) is recorded LOST and left, and
//   so are other processes of the task still alive then.
// - When the task's processes cannot be listed (signal_task returns nullopt), teardown
//   signals the runs' process groups only.
//
// Thread-safety: not thread-safe; the runner's event loop owns it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "runner/checkpoint.h"
#include "runner/process_control.h"
#include "runner/task_spec.h"

namespace borealis::runner {

enum class TaskState { kActive, kCleaning, kFinalizing, kSuccess, kFailed, kKilled, kLost };
std::string_view task_state_name(TaskState state);
bool is_terminal(TaskState state);

// How a run ended, from waitpid.
struct ExitStatus {
  bool signaled = false;
  int value = 0;  // the exit code, or the signal number when signaled
};

struct MachineOptions {
  TimeMs kill_grace_ms = 5000;    // SIGTERM, then SIGKILL after this long
  TimeMs reap_timeout_ms = 5000;  // after SIGKILL, give up on a run after this long
};

class TaskMachine {
 public:
  enum class Phase {
    kPending,    // may run (again) once its dependencies succeeded and min_duration passed
    kRunning,    // a run is alive
    kSucceeded,  // done for good
    kFailed,     // failed max_failures times
    kBlocked,    // never runs: a process it waits for failed or never ran
    kStopped,    // stopped by the runner (task ending) or never started before the end
  };
  struct ProcessStatus {
    Phase phase = Phase::kPending;
    int64_t runs = 0;      // runs started so far; the next run's number
    int64_t failures = 0;  // failed runs
    int pid = 0;           // of the live run
    int sent_signal = 0;   // last signal the runner sent to the live run
    std::optional<TimeMs> last_end;
    std::string blocked_by;
    std::string last_failure;  // how the last failed run ended: "exit code 3", "signal 9"
  };

  // `task` must have passed validate_task. `control` and `sink` must outlive this.
  TaskMachine(TaskSpec task, MachineOptions options, ProcessControl& control, RecordSink& sink);

  // Records `task ACTIVE` and starts what can start.
  void start(TimeMs now);
  // Ends the task as KILLED (CLEANING, then FINALIZING); `reason` becomes the message of
  // the terminal record. Idempotent.
  void kill(TimeMs now, std::string reason = "killed");
  // A child exited. Returns false when `pid` is not a live run of this task.
  bool on_exit(int pid, ExitStatus status, TimeMs now);
  // Does what is due at `now` (call when next_wakeup() arrives).
  void on_timer(TimeMs now) { advance(now); }

  // When on_timer should next be called; nullopt when only an exit or a kill can change
  // anything.
  std::optional<TimeMs> next_wakeup() const;
  TaskState state() const { return state_; }
  bool terminal() const { return is_terminal(state_); }
  const TaskSpec& task() const { return task_; }
  const ProcessStatus& status(std::string_view process) const;
  // True when `pid` is the live run of one of the task's processes.
  bool has_run(int pid) const;

 private:
  bool in_stage(size_t i) const;
  bool counts_for_task(size_t i) const;
  void advance(TimeMs now);
  void step_active(TimeMs now);
  void step_cleaning(TimeMs now);
  void step_finalizing(TimeMs now);
  void block_unreachable();
  bool dependencies_done(size_t i) const;
  void launch_ready(TimeMs now);
  void launch(size_t i, TimeMs now);
  enum class RunEnd { kSuccess, kFailure, kStopped };
  void end_run(size_t i, RunEnd how, Record record, TimeMs now);
  // Teardown: `sig` to every process of the task (runs and what they left), or to the
  // runs' groups when the task's processes cannot be listed.
  void signal_all(int sig, TimeMs now);
  // With no run alive: whether other processes of the task are (asks the OS unless it
  // already did at `now`).
  bool others_left(TimeMs now);
  // True (once per poll) when teardown should look at the task's processes again.
  bool poll_due(TimeMs now);
  void start_killing(TimeMs now);  // SIGKILL to everything; LOST after reap_timeout
  // While teardown waits for processes whose exits do not wake the runner (not its
  // children), it looks again this often.
  bool polling() const { return listed_ && !empty_ && !abandoned_; }
  void give_up_on_running();
  size_t running_count() const;
  size_t failed_count() const;
  bool regular_done() const;
  bool finals_done() const;
  bool task_failed() const;
  std::optional<TimeMs> next_start() const;
  void enter(TaskState state, TimeMs now, std::string message = {});
  void enter_cleaning(TimeMs now);
  void enter_finalizing(TimeMs now);
  void enter_terminal(TimeMs now);
  std::string failure_message() const;

  TaskSpec task_;
  MachineOptions options_;
  ProcessControl& control_;
  RecordSink& sink_;
  std::vector<std::vector<size_t>> deps_;  // deps_[i]: processes i waits for
  std::vector<ProcessStatus> procs_;
  TaskState state_ = TaskState::kActive;
  bool started_ = false;
  bool killed_ = false;
  std::string kill_reason_;
  TimeMs cleaning_start_ = 0;
  TimeMs escalate_at_ = 0;  // CLEANING: SIGKILL what is left
  bool killing_ = false;    // SIGKILL sent to everything still running in this stage
  TimeMs give_up_at_ = 0;   // when killing_: record what is left as LOST
  TimeMs finalize_deadline_ = 0;
  bool listed_ = false;     // the last signal_all could list the task's processes
  bool empty_ = false;      // no live process of the task since then (until a launch)
  TimeMs next_poll_ = 0;    // teardown looks again (and SIGKILLs again) from then
  TimeMs counted_at_ = -1;  // when empty_ was last learnt
  bool abandoned_ = false;  // processes survived SIGKILL for reap_timeout: not waited for
};

// How often teardown looks for processes of the task it waits for.
inline constexpr TimeMs kTeardownPollMs = 100;

}  // namespace borealis::runner

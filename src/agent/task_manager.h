// TaskManager: the agent's tasks, on the agent's loop thread. It applies the scheduler's
// commands (launch and kill, both idempotent), creates sandboxes and starts runners,
// re-attaches to the sandboxes it finds at start, numbers the updates its monitors
// report and hands them to the UpdateSink in batches, answers the reconciliation list,
// and collects old sandboxes.
//
// Layout it owns under the work dir:
//   sandboxes/<task id>/           one task directory per task (taskcontract/sandbox_layout.h);
//                                  the agent makes it and `.runner/`, and writes task.json
//   trash/                         sandboxes being deleted (renamed here first)
//
// Threading: every method runs on the loop thread of the io_context given; the
// UpdateSink is called there too. Other threads post to that io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/artifact_stager.h"
#include "agent/file_watcher.h"
#include "agent/orphan_reaper.h"
#include "agent/protocol.h"
#include "agent/task_announcements.h"
#include "agent/task_monitor.h"
#include "agent/task_resources.h"
#include "agent/task_state.h"
#include "agent/task_user.h"
#include "common/clock.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

// Where reported updates go: the update sender.
class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  // Updates in seq order; called on the loop thread.
  virtual void submit(std::vector<StatusUpdate> updates) = 0;
  // Tasks whose sandboxes were collected; called on the loop thread.
  virtual void forget(std::vector<std::string> task_ids) = 0;
  // The highest seq the scheduler acknowledged; any thread.
  virtual int64_t acked_seq() const = 0;
};

struct TaskManagerOptions {
  std::string work_dir;
  std::string runner_path;
  std::string hostname;                           // mesos.hostname for the tasks
  std::optional<jobspec::Logger> default_logger;  // for processes without a Logger
  TaskUserOptions users;
  TimeMs sandbox_retention_ms = 24 * 3600 * 1000;
  TimeMs gc_interval_ms = 10 * 60 * 1000;
  // Safety net beside inotify: every live task's checkpoint is re-read this often.
  TimeMs rescan_interval_ms = 5000;
  MonitorOptions monitor;
  ResourceOptions resources;  // cgroups, usage and disk checks
  ArtifactOptions artifacts;  // the artifact cache (docs/artifacts.md)
  // ServerSet announcements (docs/discovery.md); null: none (no --zk). Must outlive the
  // TaskManager.
  discovery::Announcer* announcer = nullptr;
  discovery::ServersetPolicy serversets;
};

class TaskManager {
 public:
  TaskManager(boost::asio::io_context& io, TaskManagerOptions options, const Clock& clock,
              UpdateSink& sink, int64_t next_seq);
  ~TaskManager();
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;

  // Creates the directories, re-attaches to every sandbox found (using `latest`, the last
  // update reported per task) and starts the timers.
  Status start(const std::map<std::string, StatusUpdate>& latest);
  // Stops timers and watches; tasks keep running.
  void stop();

  // Applies a poll answer's commands in order. When this returns each one is applied.
  void apply(const PollAnswer& answer);
  void kill(const std::string& task_id, const std::string& reason);

  // Every task not ended, plus ended ones whose final update is not acknowledged yet.
  std::vector<TaskReport> reports() const;
  // Removes sandboxes of tasks that ended over the retention period ago and whose final
  // update was acknowledged. Returns the ids collected.
  std::vector<std::string> collect_sandboxes();

  const std::map<std::string, std::shared_ptr<TaskMonitor>>& tasks() const { return tasks_; }
  // The artifact cache's counters (null before start()).
  const ArtifactCacheStats* artifact_stats() const {
    return artifacts_ ? &artifacts_->cache().stats() : nullptr;
  }
  std::string sandbox_path(const std::string& task_id) const;

 private:
  void launch(const LaunchCommand& launch, const Result<jobspec::JobSpec>* job);
  // The last step of a launch, once the sandbox holds the task's artifacts.
  void start_runner(TaskMonitor& monitor, const std::optional<jobspec::Resources>& resources,
                    const TaskUser& user);
  std::shared_ptr<TaskMonitor> add_monitor(const std::string& task_id, TimeMs finalization_wait_ms);
  void watch_checkpoint(const std::string& task_id);
  void unwatch_checkpoint(const std::string& task_id);
  void on_state(TaskMonitor& monitor, TaskState state);
  void emit(StatusUpdate update);
  void flush();
  void on_files_changed(const std::set<int>& changed, bool overflow);
  void schedule_rescan();
  void schedule_gc();
  void discard(const std::string& dir);

  boost::asio::io_context& io_;
  TaskManagerOptions options_;
  const Clock& clock_;
  UpdateSink& sink_;
  int64_t next_seq_;
  std::string sandboxes_dir_;
  std::string trash_dir_;

  std::map<std::string, std::shared_ptr<TaskMonitor>> tasks_;
  TaskResources resources_;
  TaskAnnouncements announcements_;
  std::unique_ptr<FileWatcher> watcher_;
  std::map<int, std::string> watch_to_task_;
  std::map<std::string, int> task_to_watch_;
  std::vector<StatusUpdate> staged_;
  bool flush_posted_ = false;
  boost::asio::steady_timer rescan_timer_;
  boost::asio::steady_timer gc_timer_;
  boost::asio::thread_pool janitor_{1};  // deletes collected sandboxes off the loop
  uint64_t trash_counter_ = 0;
  TaskUsers users_;
  std::unique_ptr<OrphanReaper> orphans_;  // when the agent is a child subreaper
  std::unique_ptr<ArtifactStager> artifacts_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::agent

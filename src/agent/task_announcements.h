// TaskAnnouncements: which of the agent's tasks are ServerSet members (docs/discovery.md).
//
// A task of a job with `announce` joins its ServerSet when its monitor reports RUNNING
// (for a health-checked task that means its checks passed) and leaves when it ends. A
// kill, whatever its cause (the scheduler, an unhealthy verdict, a partition), withdraws
// the member first and signals the task only once ZooKeeper deleted it, or after
// kLeaveWaitMs when ZooKeeper is slow: routers stop sending to a task before it stops, as
// Aurora's executor leaves the ServerSet before it kills its task.
//
// A job whose Announcer.zk_path the agent does not allow (--zk-path-allow) runs without
// being announced; its RUNNING update and the agent's log say why.
//
// Threads: the loop thread only. The Announcer does the ZooKeeper work on its own thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "agent/health_spec.h"
#include "agent/task_monitor.h"
#include "discovery/announcer.h"
#include "discovery/serverset_path.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

// The longest a kill waits for its task's member to be deleted.
inline constexpr TimeMs kLeaveWaitMs = 1000;

// The member a task announces: nullopt for a job without `announce`; an error when the
// policy refuses its zk_path.
Result<std::optional<discovery::Member>> task_member(const jobspec::JobSpec& job,
                                                     const TaskFacts& facts,
                                                     const discovery::ServersetPolicy& policy);

class TaskAnnouncements {
 public:
  // `announcer` null: the agent has no --zk and nothing is announced. It must outlive this.
  TaskAnnouncements(boost::asio::io_context& io, discovery::Announcer* announcer,
                    discovery::ServersetPolicy policy);
  ~TaskAnnouncements();
  TaskAnnouncements(const TaskAnnouncements&) = delete;
  TaskAnnouncements& operator=(const TaskAnnouncements&) = delete;

  // Decides what `monitor`'s task announces (before its start_*()).
  void plan(TaskMonitor& monitor, const jobspec::JobSpec& job, const TaskFacts& facts);
  // A state `monitor` reported: RUNNING joins, an end leaves. Returns a note for the
  // update's message ("" = none): why a RUNNING task is not announced.
  std::string on_state(TaskMonitor& monitor, TaskState state);
  // After start_reattached(): a task still RUNNING joins again (the previous agent's
  // session, and its members, ended with that agent).
  void reattached(TaskMonitor& monitor);

 private:
  void withdraw_then(const std::string& task_id, std::function<void()> proceed);

  boost::asio::io_context& io_;
  discovery::Announcer* announcer_;
  discovery::ServersetPolicy policy_;
  std::map<std::string, discovery::Member> members_;  // planned, whether joined or not
  std::set<std::string> joined_;                      // asked the Announcer to announce
  std::map<std::string, std::string> refusals_;       // why a task is not announced
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::agent

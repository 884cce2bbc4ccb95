#include "agent/task_manager.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <filesystem>

#include "agent/file_util.h"
#include "agent/health_spec.h"
#include "agent/launch_spec.h"
#include "agent/runner_process.h"
#include "agent/shell_probe.h"
#include "agent/task_ports.h"
#include "common/beneath.h"
#include "common/log.h"
#include "common/utf8.h"
#include "jobspec/job_spec_json.h"
#include "taskcontract/sandbox_layout.h"
#include "taskcontract/task_spec.h"

namespace borealis::agent {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

constexpr unsigned kSandboxesDirMode = 0711;
constexpr TimeMs kDefaultFinalizationWaitMs = 30'000;

TimeMs read_finalization_wait_ms(const std::string& sandbox) {
  auto text = read_beneath(sandbox, taskcontract::kTaskJsonPath, taskcontract::kMaxTaskJsonBytes);
  if (!text.ok()) return kDefaultFinalizationWaitMs;
  auto v = parse_json(*text);
  if (!v.ok()) return kDefaultFinalizationWaitMs;
  return finalization_wait_secs(*v, kDefaultFinalizationWaitMs / 1000) * 1000;
}
}  // namespace

TaskManager::TaskManager(asio::io_context& io, TaskManagerOptions options, const Clock& clock,
                         UpdateSink& sink, int64_t next_seq)
    : io_(io),
      options_(std::move(options)),
      clock_(clock),
      sink_(sink),
      next_seq_(next_seq),
      sandboxes_dir_(options_.work_dir + "/sandboxes"),
      trash_dir_(options_.work_dir + "/trash"),
      resources_(io, options_.resources, clock, tasks_),
      announcements_(io, options_.announcer, options_.serversets),
      rescan_timer_(io),
      gc_timer_(io),
      users_(options_.users) {}

TaskManager::~TaskManager() {
  stop();
  janitor_.join();
}

std::string TaskManager::sandbox_path(const std::string& task_id) const {
  return sandboxes_dir_ + "/" + task_id;
}

Status TaskManager::start(const std::map<std::string, StatusUpdate>& latest) {
  // Task users pass through to their work dirs but cannot list the other tasks.
  BOREALIS_RETURN_IF_ERROR(make_dirs(sandboxes_dir_, kSandboxesDirMode));
  BOREALIS_RETURN_IF_ERROR(make_dirs(trash_dir_));
  const ArtifactOptions& ao = options_.artifacts;
  auto cache = ArtifactCache::open(
      ao.cache_dir.empty() ? options_.work_dir + "/artifacts" : ao.cache_dir, ao.cache_bytes);
  if (!cache.ok()) return cache.status();
  artifacts_ = std::make_unique<ArtifactStager>(io_, std::move(cache).value(), ao.fetch_timeout);
  auto watcher = FileWatcher::create(
      io_, taskcontract::kCheckpointName,
      [this](const std::set<int>& changed, bool overflow) { on_files_changed(changed, overflow); });
  if (!watcher.ok()) return watcher.status();
  watcher_ = std::move(watcher).value();

  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(trash_dir_, ec)) discard(entry.path().string());
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(sandboxes_dir_, ec)) {
    std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !validate_task_id(id).ok()) {
      spdlog::warn("ignoring {}: not a task sandbox", entry.path().string());
      continue;
    }
    ids.push_back(id);
  }
  if (ec) return io_error("cannot list " + sandboxes_dir_ + ": " + ec.message());

  std::sort(ids.begin(), ids.end());
  std::vector<std::string> stale;  // reported tasks whose sandbox is gone
  for (const auto& [id, update] : latest)
    if (!std::binary_search(ids.begin(), ids.end(), id)) stale.push_back(id);
  if (!stale.empty()) sink_.forget(stale);

  for (const auto& id : ids) {
    std::string sandbox = sandbox_path(id);
    auto monitor = add_monitor(id, read_finalization_wait_ms(sandbox));
    if (auto owner = read_task_owner(sandbox); owner.ok())
      monitor->set_owner(std::move(owner).value());
    else
      spdlog::warn("task {}: only admins may read its files: {}", id, owner.status().message());
    if (auto launched = load_launched_task(sandbox); launched.ok()) {
      monitor->set_ports(task_ports_view(launched->job, launched->facts));
      announcements_.plan(*monitor, launched->job, launched->facts);
    }
    if (auto health = load_health_spec(sandbox); health.ok()) {
      auto user = users_.for_reattach(health->role, health->user, check_dir(sandbox));
      Result<RunAs> run_as = user.ok() ? Result<RunAs>(user->run_as) : Result<RunAs>(user.status());
      monitor->set_run_as(run_as);
      if (health->shell) health->run_as = run_as;
      monitor->set_health(std::move(health).value());
    } else {
      spdlog::warn("task {}: not health-checked: {}", id, health.status().message());
    }
    watch_checkpoint(id);
    auto it = latest.find(id);
    monitor->start_reattached(it == latest.end() ? std::nullopt
                                                 : std::optional<StatusUpdate>(it->second));
    if (monitor->ended()) unwatch_checkpoint(id);
    announcements_.reattached(*monitor);
    resources_.reattach(*monitor);
  }
  spdlog::info("found {} sandbox(es) in {}", ids.size(), sandboxes_dir_);
  if (is_child_subreaper()) {
    // Orphans of a task whose runner died come to the agent: kill them (orphan_reaper.h).
    orphans_ = std::make_unique<OrphanReaper>(io_, [this] {
      std::set<int64_t> runners;
      for (const auto& [id, m] : tasks_)
        if (m->runner_pid() > 0) runners.insert(m->runner_pid());
      return runners;
    });
    orphans_->sweep();
  }
  schedule_rescan();
  schedule_gc();
  resources_.start();
  return Status();
}

void TaskManager::stop() {
  *alive_ = false;
  resources_.stop();
  rescan_timer_.cancel();
  gc_timer_.cancel();
  orphans_.reset();
  artifacts_.reset();
  tasks_.clear();
  watcher_.reset();
}

std::shared_ptr<TaskMonitor> TaskManager::add_monitor(const std::string& task_id,
                                                      TimeMs finalization_wait_ms) {
  auto monitor = std::make_shared<TaskMonitor>(
      io_, task_id, sandbox_path(task_id), finalization_wait_ms, clock_, options_.monitor,
      [this](TaskMonitor& m, TaskState s) { on_state(m, s); });
  tasks_[task_id] = monitor;
  return monitor;
}

void TaskManager::watch_checkpoint(const std::string& task_id) {
  auto wd = watcher_->watch(sandbox_path(task_id) + "/" + taskcontract::kRunnerDir);
  if (!wd.ok()) {
    // The periodic rescan still reads the checkpoint, only later.
    spdlog::warn("task {}: {}", task_id, wd.status().message());
    return;
  }
  watch_to_task_[*wd] = task_id;
  task_to_watch_[task_id] = *wd;
}

void TaskManager::apply(const PollAnswer& answer) {
  std::map<std::string, Result<jobspec::JobSpec>> jobs;
  for (const auto& cmd : answer.commands) {
    if (cmd.type == "kill") {
      kill(cmd.task_id, cmd.reason.empty() ? "the scheduler asked" : cmd.reason);
    } else if (cmd.type == "launch") {
      const std::string& config_id = cmd.launch.config_id;
      auto it = jobs.find(config_id);
      if (it == jobs.end()) {
        auto config = answer.configs.find(config_id);
        Result<jobspec::JobSpec> job =
            config == answer.configs.end()
                ? Result<jobspec::JobSpec>(
                      not_found("config '" + config_id + "' is not in the poll answer"))
                : jobspec::job_spec_from_json(config->second);
        it = jobs.emplace(config_id, std::move(job)).first;
      }
      launch(cmd.launch, &it->second);
    } else {
      spdlog::warn("ignoring command {} of unknown type '{}'", cmd.seq, cmd.type);
    }
  }
}

void TaskManager::launch(const LaunchCommand& launch, const Result<jobspec::JobSpec>* job) {
  const std::string& id = launch.task_id;
  if (Status st = validate_task_id(id); !st.ok()) {
    // No sandbox can be made for it; tell the scheduler once. Every launch failure ends
    // the task FAILED with its reason, so the scheduler counts it and backs off.
    emit({0, id, TaskState::kFailed, clock_.now_ms(), "launch refused: " + st.message(), {}});
    return;
  }
  if (tasks_.contains(id)) return;  // launches are idempotent
  std::string sandbox = sandbox_path(id);
  struct stat st {};
  if (::stat(sandbox.c_str(), &st) == 0) return;

  TimeMs wait_ms = job->ok() ? (*job)->task.finalization_wait * 1000 : kDefaultFinalizationWaitMs;
  // Root's, so the task cannot rename or replace .runner/ (runner-sandbox.md, "Layout").
  if (::mkdir(sandbox.c_str(), taskcontract::kTaskDirMode) != 0 ||
      ::mkdir((sandbox + "/" + taskcontract::kRunnerDir).c_str(), taskcontract::kRunnerDirMode) !=
          0) {
    int err = errno;
    emit({0,
          id,
          TaskState::kFailed,
          clock_.now_ms(),
          "cannot create sandbox " + sandbox + ": " + errno_text(err),
          {}});
    return;
  }
  auto monitor = add_monitor(id, wait_ms);
  if (!job->ok()) {
    monitor->fail(TaskState::kFailed, "launch: " + job->status().message());
    return;
  }
  monitor->set_owner({(*job)->role, (*job)->environment, (*job)->name, launch.instance});
  auto user =
      users_.for_launch((*job)->role, (*job)->task.user, taskcontract::work_dir_of(sandbox));
  if (!user.ok()) {
    monitor->fail(TaskState::kFailed, "launch: " + user.status().message());
    return;
  }
  std::string text =
      to_json(task_json(launch, **job, options_.hostname, user->name, options_.default_logger));
  if (Status w = write_file_atomic(sandbox + "/.runner/task.json", text, false); !w.ok()) {
    monitor->fail(TaskState::kFailed, w.message());
    return;
  }
  // The whole JobSpec, so a re-attaching agent checks the task the same way.
  std::string job_text = to_json(jobspec::job_spec_to_json(**job));
  if (Status w = write_file_atomic(sandbox + "/" + taskcontract::kJobJsonPath, job_text, false);
      !w.ok()) {
    monitor->fail(TaskState::kFailed, w.message());
    return;
  }
  TaskFacts facts{id, launch.instance, options_.hostname, user->name, launch.ports};
  monitor->set_ports(task_ports_view(**job, facts));
  announcements_.plan(*monitor, **job, facts);
  HealthSpec health = resolve_health_spec(**job, facts);
  health.run_as = user->run_as;
  monitor->set_run_as(user->run_as);
  monitor->set_health(std::move(health));
  watch_checkpoint(id);
  if ((*job)->task.artifacts.empty()) {
    start_runner(*monitor, (*job)->task.resources, *user);
    return;
  }
  if (!artifacts_) {
    monitor->fail(TaskState::kFailed, "launch: the agent's artifact cache is not open");
    return;
  }
  std::weak_ptr<TaskMonitor> weak = monitor;
  artifacts_->stage(
      sandbox, (*job)->task.artifacts,
      [weak](const std::string& note) {
        if (auto m = weak.lock()) m->preparing(note);
      },
      [this, weak, resources = (*job)->task.resources, user = *user](Status st) {
        auto m = weak.lock();
        if (!m || m->ended()) return;  // killed while its artifacts were fetched
        if (!st.ok()) {
          m->fail(TaskState::kFailed, st.message());
          return;
        }
        start_runner(*m, resources, user);
      });
}

void TaskManager::start_runner(TaskMonitor& monitor,
                               const std::optional<jobspec::Resources>& resources,
                               const TaskUser& user) {
  const std::string& id = monitor.task_id();
  const std::string& sandbox = monitor.sandbox();
  auto cgroup = resources_.prepare(monitor, resources);
  if (!cgroup.ok()) {
    monitor.fail(TaskState::kFailed, "launch: " + cgroup.status().message());
    return;
  }
  auto pid = spawn_runner(options_.runner_path, sandbox, user.runner_min_uid,
                          *cgroup ? &**cgroup : nullptr);
  if (!pid.ok()) {
    monitor.fail(TaskState::kFailed, pid.status().message());
    monitor.clean_up_cgroup();
    return;
  }
  spdlog::info("task {}: started runner pid {} in {}", id, *pid, sandbox);
  monitor.start_launched(*pid);
}

void TaskManager::kill(const std::string& task_id, const std::string& reason) {
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) return;  // gone or never here: nothing to kill
  it->second->kill(reason);
}

void TaskManager::on_state(TaskMonitor& monitor, TaskState state) {
  std::string message = is_terminal(state) ? monitor.message() : monitor.running_message();
  if (std::string note = announcements_.on_state(monitor, state); !note.empty())
    message += (message.empty() ? "" : "; ") + note;
  StatusUpdate u{0, monitor.task_id(), state, clock_.now_ms(), std::move(message), monitor.pids()};
  if (is_terminal(state)) {
    monitor.final_seq = next_seq_;
    unwatch_checkpoint(monitor.task_id());
    if (orphans_) orphans_->sweep();
  }
  emit(std::move(u));
}

void TaskManager::unwatch_checkpoint(const std::string& task_id) {
  auto w = task_to_watch_.find(task_id);
  if (w == task_to_watch_.end()) return;
  watcher_->unwatch(w->second);
  watch_to_task_.erase(w->second);
  task_to_watch_.erase(w);
}

void TaskManager::emit(StatusUpdate update) {
  update.seq = next_seq_++;
  // Messages quote tasks (exit reasons, health answers, shell output): one invalid byte
  // would make the scheduler refuse the whole batch, and with it every task on this host.
  // The scheduler stores the message in every task event and refuses one past the bound.
  update.message = sanitize_text(update.message, protocol::kMaxStatusMessageBytes);
  if (update.pids.size() > protocol::kMaxReportedPids)
    update.pids.resize(protocol::kMaxReportedPids);
  spdlog::debug("task {}: {} (seq {})", update.task_id, task_state_name(update.state), update.seq);
  staged_.push_back(std::move(update));
  if (flush_posted_) return;
  // Everything reported while handling the current event goes out as one batch.
  flush_posted_ = true;
  asio::post(io_, [this, alive = alive_] {
    if (*alive) flush();
  });
}

void TaskManager::flush() {
  flush_posted_ = false;
  if (staged_.empty()) return;
  sink_.submit(std::move(staged_));
  staged_.clear();
}

std::vector<TaskReport> TaskManager::reports() const {
  int64_t acked = sink_.acked_seq();
  std::vector<TaskReport> out;
  for (const auto& [id, m] : tasks_)
    if (!m->ended() || m->final_seq > acked) {
      out.push_back({id, m->state()});
      if (m->has_usage()) out.back().usage = m->usage();
    }
  return out;
}

void TaskManager::on_files_changed(const std::set<int>& changed, bool overflow) {
  if (overflow) {
    spdlog::warn("inotify queue overflowed; re-reading every checkpoint");
    for (auto& [id, m] : tasks_)
      if (!m->ended()) m->on_checkpoint_changed();
    return;
  }
  for (int wd : changed) {
    auto w = watch_to_task_.find(wd);
    if (w == watch_to_task_.end()) continue;
    auto t = tasks_.find(w->second);
    if (t != tasks_.end()) t->second->on_checkpoint_changed();
  }
}

void TaskManager::schedule_rescan() {
  rescan_timer_.expires_after(std::chrono::milliseconds(options_.rescan_interval_ms));
  rescan_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    for (auto& [id, m] : tasks_)
      if (!m->ended()) m->on_checkpoint_changed();
    if (orphans_) orphans_->sweep();
    schedule_rescan();
  });
}

void TaskManager::schedule_gc() {
  gc_timer_.expires_after(std::chrono::milliseconds(options_.gc_interval_ms));
  gc_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    collect_sandboxes();
    schedule_gc();
  });
}

std::vector<std::string> TaskManager::collect_sandboxes() {
  TimeMs now = clock_.now_ms();
  int64_t acked = sink_.acked_seq();
  std::vector<std::string> collected;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    const TaskMonitor& m = *it->second;
    if (!m.ended() || m.final_seq > acked || now - m.ended_ms() < options_.sandbox_retention_ms) {
      ++it;
      continue;
    }
    std::string trash = trash_dir_ + "/" + it->first + "." + std::to_string(++trash_counter_);
    if (::rename(m.sandbox().c_str(), trash.c_str()) != 0) {
      spdlog::warn("cannot move {} to {}: {}", m.sandbox(), trash, errno_text(errno));
      ++it;
      continue;
    }
    spdlog::info("task {}: collected its sandbox (ended {} s ago)", it->first,
                 (now - m.ended_ms()) / 1000);
    discard(trash);
    collected.push_back(it->first);
    it = tasks_.erase(it);
  }
  if (!collected.empty()) sink_.forget(collected);
  return collected;
}

void TaskManager::discard(const std::string& dir) {
  asio::post(janitor_, [dir] {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) spdlog::warn("cannot delete {}: {}", dir, ec.message());
  });
}

}  // namespace borealis::agent

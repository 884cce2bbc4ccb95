#include "scheduler/store/backup_runner.h"

#include <spdlog/spdlog.h>

#include <future>

namespace borealis::scheduler {

BackupRunner::BackupRunner(Store& store, GroupCommitter& committer, BackupRunnerOptions options,
                           const Clock& clock, Env& env)
    : store_(store), committer_(committer), options_(std::move(options)), clock_(clock), env_(env) {
  if (options_.interval_minutes > 0) thread_ = std::thread([this] { periodic(); });
}

BackupRunner::~BackupRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<BackupInfo> BackupRunner::take_now() {
  BOREALIS_ASSIGN_OR_RETURN(StoredState state, store_.load());
  BOREALIS_ASSIGN_OR_RETURN(BackupInfo info,
                            write_backup(env_, options_.dir, state, clock_.now_ms()));
  Status pruned = prune_backups(env_, options_.dir, static_cast<size_t>(options_.keep));
  if (!pruned.ok()) spdlog::warn("pruning backups in {}: {}", options_.dir, pruned.message());
  return info;
}

void BackupRunner::take(Done done) {
  committer_.run_between_writes([this, done = std::move(done)] { done(take_now()); });
}

Result<std::vector<BackupInfo>> BackupRunner::list() const {
  return list_backups(env_, options_.dir);
}

void BackupRunner::restore(const std::string& name, Done done) {
  committer_.run_between_writes([this, name, done = std::move(done)] {
    // Everything is checked before the store is touched.
    auto state = read_backup(env_, options_.dir, name);
    if (!state.ok()) return done(state.status());
    auto listed = list_backups(env_, options_.dir);
    BackupInfo info{name, 0, 0};
    if (listed.ok())
      for (const BackupInfo& b : *listed)
        if (b.name == name) info = b;
    Status replaced = store_.replace_all(*state);
    if (!replaced.ok())
      return done(replaced.with_context("restoring backup " + name + " into " + store_.describe()));
    done(info);
  });
}

void BackupRunner::periodic() {
  const auto interval = std::chrono::minutes(options_.interval_minutes);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    std::promise<void> finished;
    take([&](Result<BackupInfo> r) {
      if (r.ok())
        spdlog::info("backup {} written to {} ({} bytes)", r->name, options_.dir, r->size_bytes);
      else
        spdlog::error("backup to {} failed: {}", options_.dir, r.status().to_string());
      finished.set_value();
    });
    finished.get_future().wait();  // one at a time, however slow the store
    lock.lock();
  }
}

}  // namespace borealis::scheduler

#include "scheduler/store/backup_runner.h"

#include <spdlog/spdlog.h>

#include <future>

namespace borealis::scheduler {

BackupRunner::BackupRunner(Store& store, GroupCommitter& committer, BackupRunnerOptions options,
                           const Clock& clock, Env& env)
    : store_(store), committer_(committer), options_(std::move(options)), clock_(clock), env_(env) {
  if (options_.interval.count() > 0) thread_ = std::thread([this] { periodic(); });
}

BackupRunner::~BackupRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (restore_reader_.joinable()) restore_reader_.join();
  }
  // Tasks queued on the committer use this runner: let them run before it goes.
  std::promise<void> drained;
  committer_.run_between_writes([&drained] { drained.set_value(); });
  drained.get_future().wait();
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
  std::lock_guard<std::mutex> lock(mu_);
  // One restore at a time: the process exits after one anyway.
  if (restore_reader_.joinable()) restore_reader_.join();
  restore_reader_ = std::thread([this, name, done = std::move(done)] {
    // Everything is checked before the store is touched.
    auto read = read_backup(env_, options_.dir, name);
    if (!read.ok()) return done(read.status());
    auto state = std::make_shared<StoredState>(std::move(read).value());
    BackupInfo info{name, 0, 0};
    if (auto listed = list_backups(env_, options_.dir); listed.ok())
      for (const BackupInfo& b : *listed)
        if (b.name == name) info = b;
    committer_.run_between_writes([this, name, state, info, done] {
      Status replaced = store_.replace_all(*state);
      if (!replaced.ok())
        return done(
            replaced.with_context("restoring backup " + name + " into " + store_.describe()));
      done(info);
    });
  });
}

void BackupRunner::periodic() {
  const auto interval = options_.interval;
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

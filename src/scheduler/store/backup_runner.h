// BackupRunner: the scheduler's backups (backup.h) taken now, every interval, listed and
// restored. Backups and the restore's replacement run on the group committer's thread
// between two write transactions, so a backup is one consistent snapshot and a restore
// races no write. A restore reads and checks its file on its own thread first, so the
// writes go on meanwhile (a million-row backup takes seconds to read).
//
// Threading: any thread may call; `done` callbacks run on the committer's thread (a
// restore's failure to read: on the reader thread), and no write happens until they return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/env.h"
#include "scheduler/store/backup.h"
#include "scheduler/store/group_commit.h"

namespace borealis::scheduler {

struct BackupRunnerOptions {
  std::string dir;
  std::chrono::milliseconds interval = std::chrono::minutes(60);  // 0: only on request
  int keep = 24;  // the newest kept after each backup
};

class BackupRunner {
 public:
  using Done = std::function<void(Result<BackupInfo>)>;

  BackupRunner(Store& store, GroupCommitter& committer, BackupRunnerOptions options,
               const Clock& clock, Env& env = Env::posix());
  ~BackupRunner();  // stops the periodic backups (one under way finishes first) and waits
                    // for a restore's reader

  const std::string& dir() const { return options_.dir; }
  // Takes a backup, then prunes to `keep`.
  void take(Done done);
  Result<std::vector<BackupInfo>> list() const;
  // Reads and checks backup `name` (kInvalidArgument for a name that is not a plain backup
  // file name, kNotFound, kFailedPrecondition when corrupt: nothing replaced), then
  // replaces the store's contents with it in one transaction. The scheduler's memory is
  // then behind the store: `done` must not let the process write again (it exits).
  void restore(const std::string& name, Done done);

 private:
  Result<BackupInfo> take_now();
  void periodic();

  Store& store_;
  GroupCommitter& committer_;
  BackupRunnerOptions options_;
  const Clock& clock_;
  Env& env_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::thread restore_reader_;  // guarded by mu_
};

}  // namespace borealis::scheduler

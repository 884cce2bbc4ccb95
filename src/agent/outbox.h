// The outbox: status updates that must reach the scheduler at least once and in order,
// kept on disk so neither an agent crash (kill -9) nor a scheduler restart loses one.
//
// Layout under its directory (`<work-dir>/updates/`):
//   log    append-only JSON lines: an update ({"seq":..,"task_id":..,"state":..}) or
//          {"forget":"<task id>"} once a task's sandbox is collected
//   acked  the highest seq the scheduler acknowledged (decimal), replaced atomically
//
// An update counts as sent only once `append` returned: its line is written and
// fdatasync'd, one sync per batch. The acked pointer is not synced: losing it only
// means resending updates the scheduler will acknowledge again (an empty
// pointer, which a power cut can leave, counts as lost). A last line without its
// newline (a crash mid-write) is cut off when the log is opened. When acknowledged lines
// dominate the log it is compacted: rewritten (sync + rename) keeping the unacknowledged
// updates and the latest update of every task not forgotten, which is what a restarted
// agent needs to know what it already reported.
//
// A failed write or sync (ENOSPC, EIO) fails the whole batch: whatever part of it landed
// is cut off again, and if even that fails the log is marked torn and repaired before
// anything else is appended, so a later line is never glued to a fragment.
//
// Thread-safety: none; one thread owns an Outbox (the update sender, after the agent
// read `latest()` at start).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/task_state.h"
#include "common/env.h"
#include "common/result.h"

namespace borealis::agent {

struct OutboxOptions {
  // Compact when the log holds more lines than this and more than twice what it keeps.
  size_t compact_min_lines = 4096;
};

class Outbox {
 public:
  // Opens (creating) the outbox in `dir` and replays it. `env` must outlive the outbox.
  static Result<std::unique_ptr<Outbox>> open(const std::string& dir, OutboxOptions options = {},
                                              Env& env = Env::posix());
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Appends updates whose seqs increase past last_seq(); durable when this returns OK.
  // On error nothing of the batch is kept.
  Status append(const std::vector<StatusUpdate>& updates);
  // Records that these tasks are gone (their sandbox was collected).
  Status forget(const std::vector<std::string>& task_ids);
  // The scheduler acknowledged every update up to `seq` (capped at last_seq()).
  Status ack(int64_t seq);

  // Unacknowledged updates in seq order, at most `max`.
  std::vector<StatusUpdate> pending(size_t max) const;
  bool has_pending() const { return !unacked_.empty(); }
  int64_t acked_seq() const { return acked_; }
  int64_t last_seq() const { return last_seq_; }
  // The latest update of every task not forgotten, acknowledged or not.
  const std::map<std::string, StatusUpdate>& latest() const { return latest_; }
  size_t log_lines() const { return log_lines_; }

  // Rewrites the log with only what must be kept. Called by ack() when due.
  Status compact();

 private:
  Outbox(std::string dir, OutboxOptions options, Env& env)
      : dir_(std::move(dir)), options_(options), env_(env) {}
  Status replay();
  // Opens the log if it is not open and cuts a torn tail left by a failed write.
  Status ready_log();
  // Appends `data` (whole lines) and, with `sync`, makes it durable; all or nothing.
  Status write_lines(const std::string& data, bool sync);
  Status write_acked();

  std::string dir_;
  OutboxOptions options_;
  Env& env_;
  std::unique_ptr<WritableFile> log_;
  bool log_torn_ = false;  // the log may end past log_size_ with part of a failed batch
  int64_t log_size_ = 0;
  size_t log_lines_ = 0;
  int64_t acked_ = 0;
  int64_t last_seq_ = 0;
  std::map<int64_t, StatusUpdate> unacked_;
  std::map<std::string, StatusUpdate> latest_;
};

}  // namespace borealis::agent

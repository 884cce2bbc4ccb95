// LogFile: one output stream of one process run written by the runner (Logger mode
// rotate, or destination both), in the run's log directory .logs/<process>/<run>/.
//
// Without a size limit it appends to <name>. With one, no file exceeds it: a write is split
// where the current file reaches `max_bytes`, <name> becomes <name>.1 (<name>.1 becomes
// <name>.2 ... <name>.<backups>; the oldest is replaced), and a new <name> is started, as
// Thermos's RotatingFileHandler names them. The stream's bytes on disk therefore stay
// within max_bytes x (backups + 1), and the newest bytes are always in <name>. Unlike
// Thermos, which checks the size after each write of up to a read buffer, the boundary is
// exact: bytes are split mid-line if need be (output is bytes, not lines).
//
// The run directory is the runner's (root's, mode 0750, see taskcontract/sandbox_layout.h):
// the task cannot plant links in it; files are opened through common/beneath.h anyway.
//
// Thread-safety: the runner's one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/beneath.h"
#include "common/result.h"

namespace borealis::runner {

class LogFile {
 public:
  // Opens (creating, mode 0640) <run dir>/<name> for appending; `run_dir_name` is for
  // messages. max_bytes 0: the file grows without limit and `backups` is unused.
  static Result<LogFile> open(Fd run_dir, std::string run_dir_name, std::string name,
                              int64_t max_bytes, int64_t backups);

  // Writes all of `data`, rotating as often as needed. On an error (a full disk) the rest
  // of `data` is dropped and the error returned; the next write tries again.
  Status write(std::string_view data);

  // Bytes in the current file.
  int64_t size() const { return size_; }

 private:
  LogFile(Fd run_dir, std::string run_dir_name, std::string name, int64_t max_bytes,
          int64_t backups)
      : dir_(std::move(run_dir)),
        dir_name_(std::move(run_dir_name)),
        name_(std::move(name)),
        max_bytes_(max_bytes),
        backups_(backups) {}

  Status open_current();
  Status rotate();
  std::string backup_name(int64_t i) const { return name_ + "." + std::to_string(i); }

  Fd dir_;
  std::string dir_name_;
  std::string name_;
  int64_t max_bytes_;
  int64_t backups_;
  Fd file_;
  int64_t size_ = 0;
  int64_t backups_made_ = 0;  // renames only touch backups that exist
};

}  // namespace borealis::runner

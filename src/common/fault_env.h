// FaultEnv: an Env that passes every call to another Env until a test arms a fault, then
// fails the matching calls the way a full or broken disk does: ENOSPC or EIO, or a torn
// write (the first K bytes land, then the error). The errors read exactly like real ones
// (errno_status), so tests check the messages users would see.
//
//   MemEnv mem;
//   FaultEnv env(mem);
//   env.arm({.op = FaultOp::kWrite, .error = ENOSPC});        // the next write
//   env.arm({.op = FaultOp::kSync, .error = EIO, .nth = 3});  // the third sync from now
//   env.arm({.op = FaultOp::kWrite, .error = EIO, .every = true, .torn_after = 10});
//   env.clear();                                              // the disk is fine again
//
// Thread-safety: every method may be called from any thread; the wrapped Env must allow
// the same.
#pragma once

#include <cerrno>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/env.h"

namespace borealis {

enum class FaultOp { kOpen, kWrite, kSync, kTruncate, kRename, kMakeDir, kRemove, kSyncDir };

struct Fault {
  FaultOp op = FaultOp::kWrite;
  int error = ENOSPC;                // the errno to report
  int nth = 1;                       // fail the nth matching call from now (1: the next)
  bool every = false;                // and every matching call after it, until cleared
  std::optional<size_t> torn_after;  // kWrite: this many bytes land before the failure
  std::string path_contains;         // only calls on paths containing this ("" = all)
};

class FaultEnv final : public Env {
 public:
  explicit FaultEnv(Env& target) : target_(target) {}

  // Adds a fault; several may be armed at once (e.g. a torn write whose clean-up
  // truncate also fails, as after a crash).
  void arm(Fault fault);
  // Removes every armed fault.
  void clear();
  // How many calls failed because of a fault since construction.
  int injected() const;

  Result<std::unique_ptr<WritableFile>> open_writable(const std::string& path,
                                                      WriteMode mode) override;
  Result<std::string> read_file(const std::string& path, size_t max_bytes) override;
  Result<FileInfo> stat(const std::string& path) override;
  Result<std::vector<std::string>> list_dir(const std::string& path) override;
  Status make_dir(const std::string& path, unsigned mode) override;
  Status remove(const std::string& path) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status sync_dir(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) override;

 private:
  class FaultFile;
  struct Armed {
    Fault fault;
    int seen = 0;  // matching calls so far
  };
  // The fault that fails this call, if any (counting the call against each armed one).
  std::optional<Fault> take(FaultOp op, const std::string& path);

  Env& target_;
  mutable std::mutex mu_;
  std::vector<Armed> armed_;
  int injected_ = 0;
};

}  // namespace borealis

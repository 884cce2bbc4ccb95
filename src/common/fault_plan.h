// FaultPlan: the faults a test armed and the counting of the calls they match, shared by
// FaultEnv (files through an Env) and the store's FaultVfs (SQLite's own I/O).
//
//   plan.arm({.op = FaultOp::kWrite, .error = ENOSPC});        // the next write
//   plan.arm({.op = FaultOp::kSync, .error = EIO, .nth = 3});  // the third sync from now
//   plan.arm({.op = FaultOp::kWrite, .error = EIO, .every = true, .torn_after = 10});
//   plan.clear();                                              // the disk is fine again
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cerrno>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

class FaultPlan {
 public:
  // Adds a fault; several may be armed at once (e.g. a torn write whose clean-up
  // truncate also fails, as after a crash).
  void arm(Fault fault);
  // Removes every armed fault.
  void clear();
  // How many calls failed because of a fault so far.
  int injected() const;

  // The fault that fails this call, if any; counts the call against every armed fault.
  std::optional<Fault> take(FaultOp op, std::string_view path);

 private:
  struct Armed {
    Fault fault;
    int seen = 0;  // matching calls so far
  };
  mutable std::mutex mu_;
  std::vector<Armed> armed_;
  int injected_ = 0;
};

}  // namespace borealis

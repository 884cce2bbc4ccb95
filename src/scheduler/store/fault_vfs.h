// FaultVfs: a SQLite VFS for tests that passes everything to the default VFS until a test
// arms a fault (see FaultPlan; kWrite and kSync apply), then fails matching writes or
// syncs as a full or broken disk does: ENOSPC (SQLITE_FULL) or EIO (SQLITE_IOERR_WRITE,
// SQLITE_IOERR_FSYNC), with the errno kept for SQLITE_FCNTL_LAST_ERRNO as the unix VFS
// does. A torn write lands its first `torn_after` bytes. SQLite does its own I/O, so the
// store's faults come from here rather than from an Env.
//
//   FaultVfs& vfs = FaultVfs::get();  // registered as FaultVfs::kName
//   SqliteStore::open(path, {.vfs = FaultVfs::kName});
//   vfs.arm({.op = FaultOp::kSync, .error = EIO, .path_contains = "-wal"});
//   vfs.clear();
//
// Thread-safety: arm/clear and the VFS callbacks may run on any thread.
#pragma once

#include "common/fault_plan.h"

namespace borealis::scheduler {

class FaultVfs : public FaultPlan {
 public:
  static constexpr const char* kName = "borealis-fault";

  // The one instance, registered (not as the default VFS) on first use.
  static FaultVfs& get();

 private:
  FaultVfs() = default;
};

}  // namespace borealis::scheduler

// FaultEnv: an Env that passes every call to another Env until a test arms a fault (see
// FaultPlan), then fails the matching calls the way a full or broken disk does: ENOSPC or
// EIO, or a torn write (the first K bytes land, then the error). The errors read exactly
// like real ones (errno_status), so tests check the messages users would see.
//
//   MemEnv mem;
//   FaultEnv env(mem);
//   env.arm({.op = FaultOp::kWrite, .error = ENOSPC, .path_contains = "/log"});
//
// Thread-safety: every method may be called from any thread; the wrapped Env must allow
// the same.
#pragma once

#include "common/env.h"
#include "common/fault_plan.h"

namespace borealis {

class FaultEnv final : public Env, public FaultPlan {
 public:
  explicit FaultEnv(Env& target) : target_(target) {}

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

  Env& target_;
};

}  // namespace borealis

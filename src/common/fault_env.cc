#include "common/fault_env.h"

#include <algorithm>

namespace borealis {

class FaultEnv::FaultFile final : public WritableFile {
 public:
  FaultFile(FaultEnv& env, std::unique_ptr<WritableFile> target)
      : env_(env), target_(std::move(target)) {}

  Status append(std::string_view data) override {
    auto fault = env_.take(FaultOp::kWrite, path());
    if (!fault) return target_->append(data);
    if (fault->torn_after) {
      // What a disk filling up mid-write leaves: a prefix of the data, then the error.
      Status landed = target_->append(data.substr(0, std::min(*fault->torn_after, data.size())));
      if (!landed.ok()) return landed;
    }
    return errno_status("write", path(), fault->error);
  }
  Status sync() override {
    if (auto fault = env_.take(FaultOp::kSync, path()))
      return errno_status("sync", path(), fault->error);
    return target_->sync();
  }
  Status truncate(uint64_t size) override {
    if (auto fault = env_.take(FaultOp::kTruncate, path()))
      return errno_status("truncate", path(), fault->error);
    return target_->truncate(size);
  }
  const std::string& path() const override { return target_->path(); }

 private:
  FaultEnv& env_;
  std::unique_ptr<WritableFile> target_;
};

Result<std::unique_ptr<WritableFile>> FaultEnv::open_writable(const std::string& path,
                                                              WriteMode mode) {
  if (auto fault = take(FaultOp::kOpen, path)) return errno_status("open", path, fault->error);
  BOREALIS_ASSIGN_OR_RETURN(auto file, target_.open_writable(path, mode));
  return std::unique_ptr<WritableFile>(new FaultFile(*this, std::move(file)));
}

Result<std::string> FaultEnv::read_file(const std::string& path, size_t max_bytes) {
  return target_.read_file(path, max_bytes);
}

Result<FileInfo> FaultEnv::stat(const std::string& path) { return target_.stat(path); }

Result<std::vector<std::string>> FaultEnv::list_dir(const std::string& path) {
  return target_.list_dir(path);
}

Status FaultEnv::make_dir(const std::string& path, unsigned mode) {
  if (auto fault = take(FaultOp::kMakeDir, path))
    return errno_status("create directory", path, fault->error);
  return target_.make_dir(path, mode);
}

Status FaultEnv::remove(const std::string& path) {
  if (auto fault = take(FaultOp::kRemove, path)) return errno_status("remove", path, fault->error);
  return target_.remove(path);
}

Status FaultEnv::rename(const std::string& from, const std::string& to) {
  if (auto fault = take(FaultOp::kRename, from + " " + to))
    return errno_status("rename", from + " to " + to, fault->error);
  return target_.rename(from, to);
}

Status FaultEnv::sync_dir(const std::string& path) {
  if (auto fault = take(FaultOp::kSyncDir, path))
    return errno_status("sync directory", path, fault->error);
  return target_.sync_dir(path);
}

Result<std::unique_ptr<FileLock>> FaultEnv::lock_file(const std::string& path) {
  return target_.lock_file(path);
}

}  // namespace borealis

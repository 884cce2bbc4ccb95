#include "common/mem_env.h"

#include <cerrno>

namespace borealis {

// An open file shares its File with the directory entry, so a rename or removal while it
// is open behaves as on POSIX: writes still reach the same contents.
class MemEnv::MemFile final : public WritableFile {
 public:
  MemFile(MemEnv& env, std::shared_ptr<File> file, std::string path)
      : env_(env), file_(std::move(file)), path_(std::move(path)) {}
  Status append(std::string_view data) override {
    std::lock_guard lock(env_.mu_);
    file_->data.append(data);
    return Status();
  }
  Status sync() override {
    std::lock_guard lock(env_.mu_);
    file_->synced = file_->data.size();
    return Status();
  }
  Status truncate(uint64_t size) override {
    std::lock_guard lock(env_.mu_);
    file_->data.resize(static_cast<size_t>(size));
    file_->synced = std::min(file_->synced, file_->data.size());
    return Status();
  }
  const std::string& path() const override { return path_; }

 private:
  MemEnv& env_;
  std::shared_ptr<File> file_;
  std::string path_;
};

class MemEnv::MemLock final : public FileLock {
 public:
  MemLock(MemEnv& env, std::string path) : env_(env), path_(std::move(path)) {}
  ~MemLock() override {
    std::lock_guard lock(env_.mu_);
    env_.locked_.erase(path_);
  }

 private:
  MemEnv& env_;
  std::string path_;
};

MemEnv::MemEnv() : dirs_{"/", "."} {}
MemEnv::~MemEnv() = default;

bool MemEnv::dir_exists_locked(const std::string& path) const { return dirs_.count(path) > 0; }

Result<std::unique_ptr<WritableFile>> MemEnv::open_writable(const std::string& path,
                                                            WriteMode mode) {
  std::lock_guard lock(mu_);
  if (dir_exists_locked(path)) return errno_status("open", path, EISDIR);
  if (!dir_exists_locked(parent_dir(path))) return errno_status("open", path, ENOENT);
  auto& file = files_[path];
  if (!file) file = std::make_shared<File>();
  if (mode == WriteMode::kTruncate) {
    file->data.clear();
    file->synced = 0;
  }
  return std::unique_ptr<WritableFile>(new MemFile(*this, file, path));
}

Result<std::string> MemEnv::read_file(const std::string& path, size_t max_bytes) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return errno_status("open", path, dir_exists_locked(path) ? EISDIR : ENOENT);
  }
  if (it->second->data.size() > max_bytes)
    return resource_exhausted(path + ": larger than " + std::to_string(max_bytes) + " bytes");
  return it->second->data;
}

Result<FileInfo> MemEnv::stat(const std::string& path) {
  std::lock_guard lock(mu_);
  if (dir_exists_locked(path)) return FileInfo{true, 0};
  auto it = files_.find(path);
  if (it == files_.end()) return errno_status("stat", path, ENOENT);
  return FileInfo{false, it->second->data.size()};
}

Result<std::vector<std::string>> MemEnv::list_dir(const std::string& path) {
  std::lock_guard lock(mu_);
  if (!dir_exists_locked(path)) return errno_status("list directory", path, ENOENT);
  std::set<std::string> names;
  auto add_child = [&](const std::string& entry) {
    if (entry != path && parent_dir(entry) == path)
      names.insert(entry.substr(entry.rfind('/') + 1));
  };
  for (const auto& [name, file] : files_) add_child(name);
  for (const auto& dir : dirs_) add_child(dir);
  return std::vector<std::string>(names.begin(), names.end());
}

Status MemEnv::make_dir(const std::string& path, unsigned /*mode*/) {
  std::lock_guard lock(mu_);
  if (dir_exists_locked(path) || files_.count(path))
    return already_exists(path + ": already exists");
  if (!dir_exists_locked(parent_dir(path))) return errno_status("create directory", path, ENOENT);
  dirs_.insert(path);
  return Status();
}

Status MemEnv::remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (files_.erase(path)) return Status();
  if (!dir_exists_locked(path)) return errno_status("remove", path, ENOENT);
  for (const auto& [name, file] : files_)
    if (parent_dir(name) == path) return errno_status("remove", path, ENOTEMPTY);
  for (const auto& dir : dirs_)
    if (dir != path && parent_dir(dir) == path) return errno_status("remove", path, ENOTEMPTY);
  dirs_.erase(path);
  return Status();
}

Status MemEnv::rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  // Directories are not renamed by anything that uses an Env.
  if (it == files_.end()) return errno_status("rename", from + " to " + to, ENOENT);
  if (!dir_exists_locked(parent_dir(to))) return errno_status("rename", from + " to " + to, ENOENT);
  if (dir_exists_locked(to)) return errno_status("rename", from + " to " + to, EISDIR);
  auto file = it->second;
  files_.erase(it);
  files_[to] = std::move(file);
  return Status();
}

Status MemEnv::sync_dir(const std::string& path) {
  std::lock_guard lock(mu_);
  if (!dir_exists_locked(path)) return errno_status("open directory", path, ENOENT);
  return Status();
}

Result<std::unique_ptr<FileLock>> MemEnv::lock_file(const std::string& path) {
  std::lock_guard lock(mu_);
  if (!dir_exists_locked(parent_dir(path))) return errno_status("open", path, ENOENT);
  if (!files_.count(path)) files_[path] = std::make_shared<File>();
  if (!locked_.insert(path).second)
    return failed_precondition(path + " is locked by another process");
  return std::unique_ptr<FileLock>(new MemLock(*this, path));
}

void MemEnv::drop_unsynced() {
  std::lock_guard lock(mu_);
  for (auto& [name, file] : files_) file->data.resize(file->synced);
}

}  // namespace borealis

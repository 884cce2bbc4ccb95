// MemEnv: an Env held in memory, for unit tests that want no disk and for checking
// durability: drop_unsynced() plays a power cut, after which every file holds only what
// was synced. Paths are plain strings; "/" and relative names' "." always exist.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "common/env.h"

namespace borealis {

class MemEnv final : public Env {
 public:
  MemEnv();
  ~MemEnv() override;

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

  // A power cut: every file loses what was appended since its last sync. (Renames and
  // creations count as durable at once; this models data, not directory entries.)
  void drop_unsynced();

  struct File {
    std::string data;
    size_t synced = 0;  // bytes of `data` that a sync made durable
  };

 private:
  class MemFile;
  class MemLock;
  bool dir_exists_locked(const std::string& path) const;

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<File>> files_;
  std::set<std::string> dirs_;
  std::set<std::string> locked_;
};

}  // namespace borealis

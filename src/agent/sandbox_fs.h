// Read-only access to files inside a sandbox, confined to it. A path is relative to the
// sandbox; absolute paths and ".." segments are refused outright, and resolution is done
// by the kernel with openat2(RESOLVE_BENEATH), so no symlink (absolute, or relative
// climbing out) can lead outside, even one swapped in by the task while the agent looks.
// Refusals are kPermissionDenied with a message saying why; missing paths kNotFound.
//
// Thread-safety: pure functions over the file system; the Fd wrapper is a plain owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace borealis::agent {

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  ~Fd();
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// Refuses absolute paths and ".." segments. "" and "." name the sandbox itself.
Status check_relative_path(std::string_view rel);

// Opens `rel` under the directory `root` read-only (non-blocking, so a FIFO cannot hang
// the agent). Only regular files and directories are returned.
Result<Fd> open_in_sandbox(const std::string& root, std::string_view rel);

struct DirEntry {
  std::string name;
  std::string type;  // "file", "directory", "symlink", "other"
  int64_t size = 0;
  TimeMs mtime_ms = 0;
};
bool is_directory(const Fd& fd);
// Entries of an open directory, sorted by name, without "." and "..".
Result<std::vector<DirEntry>> list_directory(const Fd& dir);

struct FileChunk {
  int64_t offset = 0;  // where `data` starts
  int64_t size = 0;    // the file's size when read
  std::string data;
};
// Reads up to `length` bytes from `offset`; a negative offset counts from the end. An
// offset past the end gives no data.
Result<FileChunk> read_chunk(const Fd& file, int64_t offset, int64_t length);

}  // namespace borealis::agent

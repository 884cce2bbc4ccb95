// The agent API's read-only view of a task's directory. Paths are relative to it; they
// are opened with common/beneath.h (beneath the directory, no symlink followed, no FIFO
// or device), so a task cannot lead the agent anywhere else, even by swapping a link in
// while the agent looks. Refusals are kPermissionDenied with a message saying why; missing
// paths kNotFound.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/beneath.h"
#include "common/clock.h"
#include "common/result.h"

namespace borealis::agent {

// Opens `rel` under the task directory `root` read-only: a regular file or a directory.
Result<Fd> open_in_sandbox(const std::string& root, std::string_view rel);

struct DirEntry {
  std::string name;
  std::string type;  // "file", "directory", "symlink", "other"
  int64_t size = 0;
  TimeMs mtime_ms = 0;
};
struct DirListing {
  std::vector<DirEntry> entries;  // sorted by name, without "." and ".."
  bool truncated = false;         // the directory had more than the bound
};
// A task can create millions of files: a listing holds at most this many entries.
inline constexpr size_t kMaxListedEntries = 10000;
bool is_directory(const Fd& fd);
// The first `max_entries` entries the kernel returns for an open directory, sorted by name.
Result<DirListing> list_directory(const Fd& dir, size_t max_entries = kMaxListedEntries);

struct FileChunk {
  int64_t offset = 0;  // where `data` starts
  int64_t size = 0;    // the file's size when read
  std::string data;
};
// Reads up to `length` bytes from `offset`; a negative offset counts from the end. An
// offset past the end gives no data.
Result<FileChunk> read_chunk(const Fd& file, int64_t offset, int64_t length);

}  // namespace borealis::agent

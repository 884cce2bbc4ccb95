// Env: the file system as an interface, after LevelDB's Env. Code that keeps state on
// disk (the agent's outbox and sandboxes, the runner's checkpoint, the scheduler's store
// directory) goes through an Env, so tests can swap in MemEnv (in memory) or FaultEnv
// (ENOSPC, EIO and torn writes on demand) and production uses Env::posix().
//
// Errors are Status values whose message names the operation, the path and the system
// error with its symbolic name: "cannot write /w/updates/log: No space left on device
// (ENOSPC)". A missing file is kNotFound; other failures are kIoError.
//
// Thread-safety: Env::posix() and MemEnv may be called from any thread; one WritableFile
// is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis {

// A file open for writing at its end. Closed when destroyed.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes all of `data` at the end of the file. On error a prefix of it may have landed
  // (a torn write); a caller that needs whole records truncates back.
  virtual Status append(std::string_view data) = 0;
  // Makes what was appended durable (fdatasync).
  virtual Status sync() = 0;
  // Cuts the file to `size` bytes; later appends go to the new end.
  virtual Status truncate(uint64_t size) = 0;
  virtual const std::string& path() const = 0;
};

// An exclusive lock on a file, held until destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct FileInfo {
  bool is_directory = false;
  uint64_t size = 0;
};

class Env {
 public:
  enum class WriteMode {
    kAppend,    // create if missing, keep what is there
    kTruncate,  // create if missing, start empty
  };

  virtual ~Env() = default;

  // The real file system. Lives for the whole process.
  static Env& posix();

  // Opens `path` for writing (mode 0644 when created). The directory must exist.
  virtual Result<std::unique_ptr<WritableFile>> open_writable(const std::string& path,
                                                              WriteMode mode) = 0;
  // The whole file; kNotFound when missing, kResourceExhausted when over `max_bytes`.
  virtual Result<std::string> read_file(const std::string& path, size_t max_bytes) = 0;
  // kNotFound when missing. Does not follow a final symlink.
  virtual Result<FileInfo> stat(const std::string& path) = 0;
  // Names in a directory, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> list_dir(const std::string& path) = 0;
  // Creates one directory; kAlreadyExists when something is there.
  virtual Status make_dir(const std::string& path, unsigned mode) = 0;
  // Removes a file or an empty directory.
  virtual Status remove(const std::string& path) = 0;
  // rename(2): atomically replaces `to`.
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  // Makes creations, removals and renames in a directory durable.
  virtual Status sync_dir(const std::string& path) = 0;
  // Takes an exclusive lock on `path` (created if missing) without waiting;
  // kFailedPrecondition when someone else holds it.
  virtual Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) = 0;

  bool exists(const std::string& path) { return stat(path).ok(); }
};

// mkdir -p: creates `path` and its missing parents with `mode`.
Status make_dirs(Env& env, const std::string& path, unsigned mode = 0755);

// Replaces `path` with `data` through a temporary file and a rename, so a reader sees the
// old or the new content, never a mix. With `sync`, the data and the directory entry are
// durable when it returns.
Status write_file_atomic(Env& env, const std::string& path, std::string_view data, bool sync);

// The directory part of `path` ("." when it has none).
std::string parent_dir(const std::string& path);

// The Status a failed system call on `path` becomes: "cannot <verb> <path>: <strerror>
// (<ENAME>)". ENOENT becomes kNotFound. Env implementations share it so an injected fault
// reads like a real one.
Status errno_status(std::string_view verb, const std::string& path, int err);

}  // namespace borealis

// Opening files inside a directory that someone else controls: a task's sandbox, opened by
// the root agent and the root runner. This is the one way they open anything there.
//
// Every open is resolved by the kernel beneath a directory descriptor with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so no symlink
// (absolute, relative, leaf or component, swapped in while we look) and no ".." can lead
// anywhere else. On kernels without openat2 every component is opened with O_NOFOLLOW
// instead. Opens are non-blocking (a FIFO cannot hang the caller) and the result's type
// is checked with fstat: a FIFO, socket or device is refused, so "/dev/zero planted as a
// checkpoint" is an error, not an endless read.
//
// Refusals are kPermissionDenied with a message saying why; a missing path is kNotFound;
// a file over a size bound kResourceExhausted. Messages name `<dir>/<rel>`.
//
// Thread-safety: pure functions over the file system; Fd is a plain owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis {

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership.
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// What open_beneath opens, and what it accepts.
enum class OpenIntent {
  kReadFile,       // read-only; must be a regular file
  kReadFileOrDir,  // read-only; a regular file or a directory (the agent's file API)
  kDirectory,      // read-only directory descriptor, for *at() calls
  kAppend,         // write at the end, created with `mode` when missing; a regular file
  kCreateFresh,    // whatever is at the path is unlinked, then created with O_EXCL
};

// Refuses absolute paths, ".." segments and NUL bytes. "" and "." name `dir` itself.
Status check_relative_path(std::string_view rel);

// Opens the directory `path` (O_DIRECTORY | O_NOFOLLOW: a symlink as its last component
// is refused). The path up to it must be trusted by the caller (the agent's work dir).
Result<Fd> open_directory(const std::string& path);

// Opens `rel` beneath the directory `dir` as `intent` says; `dir_name` is used in
// messages only. `mode` is for files created by kAppend and kCreateFresh.
Result<Fd> open_beneath(const Fd& dir, std::string_view dir_name, std::string_view rel,
                        OpenIntent intent, unsigned mode = 0640);
// The same from a directory path (opened with open_directory first).
Result<Fd> open_beneath(const std::string& dir, std::string_view rel, OpenIntent intent,
                        unsigned mode = 0640);

// The whole regular file `rel` beneath `dir`, of at most `max_bytes` (kResourceExhausted
// above it, also when it grows past it while read).
Result<std::string> read_beneath(const std::string& dir, std::string_view rel, size_t max_bytes);

// Reads at most `max_bytes` from `offset` of an open file with pread, in pieces of at most
// kReadPieceBytes; fewer at the end of the file.
inline constexpr size_t kReadPieceBytes = 64 * 1024;
Result<std::string> read_at_most(const Fd& file, int64_t offset, size_t max_bytes);

}  // namespace borealis

// The agent's file helpers over the real file system (Env::posix()), for code that does
// not take an Env yet. Errors name the path and the system error.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <string>

#include "common/env.h"

namespace borealis::agent {

// The whole file; kNotFound when it does not exist. Refuses files over `max_bytes`.
inline Result<std::string> read_file(const std::string& path, size_t max_bytes = 64 << 20) {
  return Env::posix().read_file(path, max_bytes);
}

// Writes `data` to `path` through a temporary file and rename(2), so a reader sees the
// old or the new content, never a mix. With `sync`, the data and the directory entry are
// flushed to disk before returning.
inline Status write_file_atomic(const std::string& path, const std::string& data, bool sync) {
  return borealis::write_file_atomic(Env::posix(), path, data, sync);
}

// mkdir -p with `mode` for the directories it creates.
inline Status make_dirs(const std::string& path, unsigned mode = 0755) {
  return borealis::make_dirs(Env::posix(), path, mode);
}

// fsync(2) of a directory, making renames and creations in it durable.
inline Status sync_dir(const std::string& path) { return Env::posix().sync_dir(path); }

// "open: No such file or directory" style message for errno.
std::string errno_text(int err);

}  // namespace borealis::agent

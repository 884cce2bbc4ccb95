// Helpers built on any Env. Kept apart from env.cc so the static runner, which uses
// neither, does not carry them.
#include "common/env.h"

namespace borealis {

Status make_dirs(Env& env, const std::string& path, unsigned mode) {
  if (path.empty()) return invalid_argument("make_dirs: empty path");
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    std::string cur = path.substr(0, next);
    pos = next + 1;
    if (cur.empty()) continue;  // the leading '/'
    Status made = env.make_dir(cur, mode);
    if (!made.ok() && made.code() != StatusCode::kAlreadyExists) return made;
  }
  auto info = env.stat(path);
  if (!info.ok()) return info.status();
  if (!info->is_directory) return io_error("cannot create directory " + path + ": not a directory");
  return Status();
}

Status write_file_atomic(Env& env, const std::string& path, std::string_view data, bool sync) {
  std::string tmp = path + ".tmp";
  auto written = [&]() -> Status {
    BOREALIS_ASSIGN_OR_RETURN(auto file, env.open_writable(tmp, Env::WriteMode::kTruncate));
    BOREALIS_RETURN_IF_ERROR(file->append(data));
    if (sync) BOREALIS_RETURN_IF_ERROR(file->sync());
    return Status();
  }();
  if (written.ok()) written = env.rename(tmp, path);
  if (!written.ok()) {
    env.remove(tmp).ok();  // best effort: the error that matters is the one above
    return written;
  }
  return sync ? env.sync_dir(parent_dir(path)) : Status();
}

}  // namespace borealis

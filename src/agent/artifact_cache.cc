#include "agent/artifact_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <vector>

#include "agent/file_util.h"
#include "common/log.h"
#include "jobspec/artifacts.h"

namespace borealis::agent {

namespace {

bool is_sha256_name(const std::string& name) {
  if (name.size() != jobspec::kSha256HexDigits) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string human_bytes(int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

Result<std::unique_ptr<ArtifactCache>> ArtifactCache::open(const std::string& dir,
                                                           int64_t max_bytes) {
  BOREALIS_RETURN_IF_ERROR(make_dirs(dir, 0700));
  // It may have been made by someone else, or with a looser mode: tasks must not read it.
  if (::chmod(dir.c_str(), 0700) != 0)
    return io_error("cannot chmod " + dir + ": " + errno_text(errno));
  std::unique_ptr<ArtifactCache> cache(new ArtifactCache(dir, max_bytes));
  BOREALIS_RETURN_IF_ERROR(cache->scan());
  return cache;
}

Status ArtifactCache::scan() {
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return io_error("cannot list " + dir_ + ": " + errno_text(errno));
  struct Found {
    std::string sha;
    int64_t size;
    int64_t mtime_ns;
  };
  std::vector<Found> found;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode) || !is_sha256_name(name)) {
      // A download the agent did not finish, or something that is not ours.
      spdlog::info("artifact cache: deleting {}/{}", dir_, name);
      if (::unlinkat(::dirfd(d), name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0)
        spdlog::warn("artifact cache: cannot delete {}/{}: {}", dir_, name, errno_text(errno));
      continue;
    }
    found.push_back({name, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec});
  }
  ::closedir(d);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.mtime_ns < b.mtime_ns; });
  for (const auto& f : found) {
    entries_[f.sha] = Entry{f.size, ++use_clock_, 0};
    stats_.bytes += f.size;
  }
  stats_.entries = static_cast<int64_t>(entries_.size());
  // A smaller --artifact-cache-size than last time applies at once.
  make_room(0);
  return Status();
}

std::string ArtifactCache::temp_path(const std::string& sha256) {
  return dir_ + "/.download-" + sha256 + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(++temp_counter_);
}

void ArtifactCache::touch(const std::string& sha256, Entry& e) {
  e.last_use = ++use_clock_;
  // The mtime keeps the order of use across agent restarts.
  if (::utimensat(AT_FDCWD, path_of(sha256).c_str(), nullptr, 0) != 0)
    spdlog::debug("artifact cache: cannot touch {}: {}", sha256, errno_text(errno));
}

bool ArtifactCache::acquire(const std::string& sha256) {
  auto it = entries_.find(sha256);
  if (it == entries_.end()) {
    ++stats_.misses;
    return false;
  }
  ++stats_.hits;
  ++it->second.pins;
  touch(sha256, it->second);
  return true;
}

bool ArtifactCache::make_room(int64_t incoming) {
  while (stats_.bytes + incoming > max_bytes_) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.pins == 0 &&
          (victim == entries_.end() || it->second.last_use < victim->second.last_use))
        victim = it;
    if (victim == entries_.end()) return false;
    if (::unlink(path_of(victim->first).c_str()) != 0 && errno != ENOENT)
      spdlog::warn("artifact cache: cannot delete {}: {}", path_of(victim->first),
                   errno_text(errno));
    spdlog::info("artifact cache: evicted {} ({})", victim->first,
                 human_bytes(victim->second.size));
    stats_.bytes -= victim->second.size;
    ++stats_.evictions;
    entries_.erase(victim);
  }
  stats_.entries = static_cast<int64_t>(entries_.size());
  return true;
}

Status ArtifactCache::admit(const std::string& sha256, const std::string& temp_path, int64_t size) {
  auto refuse = [&](Status why) {
    ::unlink(temp_path.c_str());
    return why;
  };
  if (auto it = entries_.find(sha256); it != entries_.end()) {
    // Fetched twice (the entry appeared meanwhile): keep the one we have.
    ++it->second.pins;
    touch(sha256, it->second);
    return refuse(Status());
  }
  if (size > max_bytes_)
    return refuse(resource_exhausted("it is " + human_bytes(size) + " (" + std::to_string(size) +
                                     " bytes), larger than the whole artifact cache (" +
                                     human_bytes(max_bytes_) + ", --artifact-cache-size)"));
  if (!make_room(size))
    return refuse(resource_exhausted("no room in the artifact cache for " + human_bytes(size) +
                                     ": " + human_bytes(stats_.bytes) + " of " +
                                     human_bytes(max_bytes_) +
                                     " are held by tasks being launched"));
  if (::rename(temp_path.c_str(), path_of(sha256).c_str()) != 0)
    return refuse(io_error("cannot rename " + temp_path + " to " + path_of(sha256) + ": " +
                           errno_text(errno)));
  Entry& e = entries_[sha256];
  e.size = size;
  e.pins = 1;
  e.last_use = ++use_clock_;
  stats_.bytes += size;
  stats_.entries = static_cast<int64_t>(entries_.size());
  return Status();
}

void ArtifactCache::pin(const std::string& sha256) {
  auto it = entries_.find(sha256);
  if (it != entries_.end()) ++it->second.pins;
}

void ArtifactCache::unpin(const std::string& sha256) {
  auto it = entries_.find(sha256);
  if (it != entries_.end() && it->second.pins > 0) --it->second.pins;
}

}  // namespace borealis::agent

#include "agent/task_usage.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"

namespace borealis::agent {

TaskUsage next_usage(const TaskUsage& prev, const CgroupUsage& sample, TimeMs now_ms) {
  TaskUsage u = prev;
  u.cpu_seconds = static_cast<double>(sample.cpu_usec) / 1e6;
  if (prev.sampled_ms > 0 && now_ms > prev.sampled_ms && u.cpu_seconds >= prev.cpu_seconds)
    u.cpu_rate =
        (u.cpu_seconds - prev.cpu_seconds) * 1000.0 / static_cast<double>(now_ms - prev.sampled_ms);
  u.memory_bytes = sample.memory_bytes;
  u.memory_peak_bytes = sample.memory_peak_bytes;
  u.sampled_ms = now_ms;
  return u;
}

namespace {

// Open directories at once = depth; deeper ones are counted but not entered.
constexpr int kMaxDiskDepth = 64;

struct DiskWalk {
  dev_t dev;
  int64_t max_entries;
  int64_t entries = 0;
  DiskMeasure out;

  // Takes ownership of `fd`.
  void walk(int fd, int depth) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      return;
    }
    while (dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      if (++entries > max_entries) {
        out.truncated = true;
        break;
      }
      struct stat st {};
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      out.bytes += static_cast<int64_t>(st.st_blocks) * 512;
      if (!S_ISDIR(st.st_mode) || st.st_dev != dev) continue;
      if (depth + 1 >= kMaxDiskDepth) {
        out.truncated = true;
        continue;
      }
      int child = ::openat(::dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child >= 0) walk(child, depth + 1);
      if (out.truncated && entries > max_entries) break;
    }
    ::closedir(d);
  }
};

}  // namespace

Result<DiskMeasure> measure_disk(const std::string& dir, int64_t max_entries) {
  int root = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root < 0) return io_error("cannot measure " + dir + ": " + errno_text(errno));
  struct stat root_st {};
  if (::fstat(root, &root_st) != 0) {
    int err = errno;
    ::close(root);
    return io_error("cannot measure " + dir + ": " + errno_text(err));
  }
  DiskWalk w{root_st.st_dev, max_entries};
  w.out.bytes = static_cast<int64_t>(root_st.st_blocks) * 512;
  w.walk(root, 0);
  return w.out;
}

}  // namespace borealis::agent

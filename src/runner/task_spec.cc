#include "runner/task_spec.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace borealis::runner {

Result<LaunchSpec> load_launch_spec(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > taskcontract::kMaxTaskJsonBytes) {
      ::close(fd);
      return resource_exhausted(path + ": larger than 4 MiB");
    }
  }
  ::close(fd);
  auto spec = taskcontract::parse_launch_spec(text);
  if (!spec.ok()) return spec.status().with_context(path);
  Status st = taskcontract::validate_task(spec->task);
  if (!st.ok()) return st.with_context(path);
  return spec;
}

}  // namespace borealis::runner

#include "runner/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "taskcontract/sandbox_layout.h"

namespace borealis::runner {

Result<LogFile> LogFile::open(Fd run_dir, std::string run_dir_name, std::string name,
                              int64_t max_bytes, int64_t backups) {
  LogFile log(std::move(run_dir), std::move(run_dir_name), std::move(name), max_bytes, backups);
  BOREALIS_RETURN_IF_ERROR(log.open_current());
  return log;
}

Status LogFile::open_current() {
  BOREALIS_ASSIGN_OR_RETURN(
      file_, open_beneath(dir_, dir_name_, name_, OpenIntent::kAppend, taskcontract::kLogFileMode));
  struct stat st {};
  if (::fstat(file_.get(), &st) != 0)
    return io_error("cannot stat " + dir_name_ + "/" + name_ + ": " + std::strerror(errno));
  size_ = st.st_size;
  return Status();
}

Status LogFile::rotate() {
  file_ = Fd();
  // stdout.(k) -> stdout.(k+1) from the oldest kept down, then stdout -> stdout.1; a
  // rename replaces its target, so the oldest backup past `backups_` is dropped.
  for (int64_t i = std::min(backups_made_, backups_ - 1); i >= 1; --i) {
    std::string from = backup_name(i), to = backup_name(i + 1);
    if (::renameat(dir_.get(), from.c_str(), dir_.get(), to.c_str()) != 0 && errno != ENOENT)
      return io_error("cannot rename " + dir_name_ + "/" + from + ": " + std::strerror(errno));
  }
  std::string first = backup_name(1);
  if (::renameat(dir_.get(), name_.c_str(), dir_.get(), first.c_str()) != 0 && errno != ENOENT)
    return io_error("cannot rename " + dir_name_ + "/" + name_ + ": " + std::strerror(errno));
  backups_made_ = std::min(backups_made_ + 1, backups_);
  return open_current();
}

Status LogFile::write(std::string_view data) {
  while (!data.empty()) {
    if (!file_.valid()) BOREALIS_RETURN_IF_ERROR(open_current());
    if (max_bytes_ > 0 && size_ >= max_bytes_) {
      BOREALIS_RETURN_IF_ERROR(rotate());
      if (size_ >= max_bytes_)  // someone else wrote there: refuse to exceed the bound
        return io_error(dir_name_ + "/" + name_ + " is still full after rotating");
    }
    size_t n = data.size();
    if (max_bytes_ > 0) n = std::min<size_t>(n, static_cast<size_t>(max_bytes_ - size_));
    ssize_t w = ::write(file_.get(), data.data(), n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0)
      return io_error("cannot write " + dir_name_ + "/" + name_ + ": " +
                      (w < 0 ? std::strerror(errno) : "wrote nothing"));
    size_ += w;
    data.remove_prefix(static_cast<size_t>(w));
  }
  return Status();
}

}  // namespace borealis::runner

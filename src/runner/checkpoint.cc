#include "runner/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runner/diag.h"

namespace borealis::runner {

Result<std::vector<Record>> read_checkpoint(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read " + path + ": " + std::strerror(err));
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  auto records = taskcontract::parse_checkpoint(text);
  if (!records.ok()) return records.status().with_context(path);
  return records;
}

CheckpointWriter::~CheckpointWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> CheckpointWriter::open_exclusive(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return failed_precondition(path + " is locked: another runner owns this sandbox");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size != 0) {
    ::close(fd);
    return failed_precondition(path + " is not empty: a runner already ran in this sandbox");
  }
  return fd;
}

void CheckpointWriter::write(Record record) {
  record.ts = clock_.now_ms();
  std::string line = taskcontract::format_record(record);
  ssize_t n;
  do {
    n = ::write(fd_, line.data(), line.size());
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(line.size())) {
    diag("checkpoint write failed (%zd of %zu bytes): %s", n, line.size(),
         n < 0 ? std::strerror(errno) : "short write");
  }
  // The terminal record is the last word; make it survive a host crash.
  if (record.type == Record::Type::kTask &&
      (record.state == "SUCCESS" || record.state == "FAILED" || record.state == "KILLED" ||
       record.state == "LOST"))
    ::fdatasync(fd_);
}

}  // namespace borealis::runner

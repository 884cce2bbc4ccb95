#include "auth/token_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/strings.h"

namespace borealis::auth {

namespace {
constexpr size_t kMaxTokenFileBytes = 4096;
}  // namespace

Result<std::string> read_token_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return io_error("cannot read token file " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string text;
  Status status;
  if (::fstat(fd, &st) != 0) {
    status = io_error("cannot stat token file " + path + ": " + std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    status = invalid_argument("token file " + path + " is not a regular file");
  } else if (st.st_uid != ::geteuid()) {
    status = permission_denied("token file " + path + " belongs to uid " +
                               std::to_string(st.st_uid) + ", not to this process's uid " +
                               std::to_string(::geteuid()) + ": chown it");
  } else if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    status = permission_denied("token file " + path + " has mode " + mode +
                               ": other users may read the token; chmod 600 it");
  } else {
    char buf[kMaxTokenFileBytes + 1];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0)
      status = io_error("cannot read token file " + path + ": " + std::strerror(errno));
    else if (static_cast<size_t>(n) > kMaxTokenFileBytes)
      status = invalid_argument("token file " + path + " is larger than 4 KiB: not a token");
    else
      text = std::string(trim(std::string_view(buf, static_cast<size_t>(n))));
  }
  ::close(fd);
  if (!status.ok()) return status;
  if (text.empty()) return invalid_argument("token file " + path + " holds no token");
  for (char c : text)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      return invalid_argument("token file " + path + " must hold one token, on one line");
  return text;
}

}  // namespace borealis::auth

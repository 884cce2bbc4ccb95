#include "common/beneath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/strings.h"

namespace borealis {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Status check_relative_path(std::string_view rel) {
  if (rel.find('\0') != std::string_view::npos)
    return permission_denied("path contains a NUL byte");
  if (!rel.empty() && rel[0] == '/')
    return permission_denied("path '" + std::string(rel) + "' is absolute; paths are relative " +
                             "to the sandbox");
  for (const auto& seg : split(rel, '/'))
    if (seg == "..")
      return permission_denied("path '" + std::string(rel) + "' contains '..'; paths must stay " +
                               "inside the sandbox");
  return Status();
}

namespace {

constexpr int kCommonFlags = O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;

int flags_for(OpenIntent intent) {
  switch (intent) {
    case OpenIntent::kReadFile:
    case OpenIntent::kReadFileOrDir:
      return O_RDONLY | O_NONBLOCK | kCommonFlags;
    case OpenIntent::kDirectory:
      return O_RDONLY | O_DIRECTORY | kCommonFlags;
    case OpenIntent::kAppend:
      return O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | kCommonFlags;
    case OpenIntent::kCreateFresh:
      return O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK | kCommonFlags;
  }
  return O_RDONLY | kCommonFlags;
}

std::string display(std::string_view dir_name, std::string_view rel) {
  if (dir_name.empty()) return "'" + std::string(rel) + "'";
  if (rel.empty() || rel == ".") return std::string(dir_name);
  return std::string(dir_name) + "/" + std::string(rel);
}

Status open_error(const std::string& what, int err) {
  std::string base = "cannot open " + what + ": ";
  switch (err) {
    case ELOOP:
      return permission_denied(what + " is a symlink or goes through one: links are not " +
                               "followed inside a sandbox");
    case EXDEV:
      return permission_denied(what + " leads outside the sandbox");
    case ENXIO:
      return permission_denied(what + " is not a regular file (a FIFO or socket)");
    case ENOENT:
    case ENOTDIR:
      return not_found(base + std::strerror(err));
    case EACCES:
    case EPERM:
      return permission_denied(base + std::strerror(err));
    default:
      return io_error(base + std::strerror(err));
  }
}

const char* type_name(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symlink";
  return "not a regular file";
}

// Without openat2: one component at a time, none of them followed if it is a symlink.
int open_walking(int dir, std::string_view rel, int flags, unsigned mode) {
  std::vector<std::string> parts;
  for (auto& seg : split(rel, '/'))
    if (!seg.empty() && seg != ".") parts.push_back(std::string(seg));
  if (parts.empty()) return ::openat(dir, ".", flags & ~(O_CREAT | O_EXCL), 0);
  int cur = dir;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = ::openat(cur, parts[i].c_str(), O_RDONLY | O_DIRECTORY | kCommonFlags);
    int err = errno;
    if (cur != dir) ::close(cur);
    if (next < 0) {
      errno = err;
      return -1;
    }
    cur = next;
  }
  int fd = ::openat(cur, parts.back().c_str(), flags, mode);
  int err = errno;
  if (cur != dir) ::close(cur);
  errno = err;
  return fd;
}

int open_raw(int dir, std::string_view rel, int flags, unsigned mode) {
  std::string path = rel.empty() ? "." : std::string(rel);
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dir, path.c_str(), &how, sizeof how);
  // ENOSYS: an old kernel; EPERM: a seccomp filter that refuses openat2. The walk gives a
  // real EPERM again when that was the answer.
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) return open_walking(dir, rel, flags, mode);
  return static_cast<int>(fd);
}

// O_DIRECTORY | O_NOFOLLOW on a symlink fails with ENOTDIR: say what it really is.
int refine_enotdir(int dir, std::string_view rel) {
  Fd probe(open_raw(dir, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0));
  struct stat st {};
  if (probe.valid() && ::fstat(probe.get(), &st) == 0 && S_ISLNK(st.st_mode)) return ELOOP;
  return ENOTDIR;
}

bool type_ok(OpenIntent intent, mode_t mode) {
  switch (intent) {
    case OpenIntent::kDirectory:
      return S_ISDIR(mode);
    case OpenIntent::kReadFileOrDir:
      return S_ISREG(mode) || S_ISDIR(mode);
    default:
      return S_ISREG(mode);
  }
}

}  // namespace

Result<Fd> open_directory(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | kCommonFlags));
  if (!fd.valid()) {
    int err = errno;
    struct stat st {};
    if (err == ENOTDIR && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) err = ELOOP;
    return open_error(path, err);
  }
  return fd;
}

Result<Fd> open_beneath(const Fd& dir, std::string_view dir_name, std::string_view rel,
                        OpenIntent intent, unsigned mode) {
  BOREALIS_RETURN_IF_ERROR(check_relative_path(rel));
  std::string what = display(dir_name, rel);
  int flags = flags_for(intent);
  Fd out;
  if (intent == OpenIntent::kCreateFresh) {
    // Unlink what is there (a file, or a link or FIFO the task planted), then create anew
    // with O_EXCL: nothing existing is ever opened for writing.
    size_t slash = rel.rfind('/');
    std::string_view parent = slash == std::string_view::npos ? "" : rel.substr(0, slash);
    std::string leaf(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
    if (leaf.empty() || leaf == ".") return invalid_argument(what + ": not a file name");
    BOREALIS_ASSIGN_OR_RETURN(Fd parent_fd,
                              open_beneath(dir, dir_name, parent, OpenIntent::kDirectory));
    if (::unlinkat(parent_fd.get(), leaf.c_str(), 0) != 0 && errno != ENOENT)
      return open_error(what, errno);
    out = Fd(open_raw(parent_fd.get(), leaf, flags, mode));
  } else {
    out = Fd(open_raw(dir.get(), rel, flags, mode));
  }
  if (!out.valid()) {
    int err = errno;
    if (err == ENOTDIR && intent == OpenIntent::kDirectory) err = refine_enotdir(dir.get(), rel);
    return open_error(what, err);
  }
  struct stat st {};
  if (::fstat(out.get(), &st) != 0) return open_error(what, errno);
  if (!type_ok(intent, st.st_mode)) {
    if (intent == OpenIntent::kDirectory) return open_error(what, ENOTDIR);
    return permission_denied(what + " is " + type_name(st.st_mode) + ", not a regular file");
  }
  return out;
}

Result<Fd> open_beneath(const std::string& dir, std::string_view rel, OpenIntent intent,
                        unsigned mode) {
  BOREALIS_ASSIGN_OR_RETURN(Fd dir_fd, open_directory(dir));
  return open_beneath(dir_fd, dir, rel, intent, mode);
}

Result<std::string> read_at_most(const Fd& file, int64_t offset, size_t max_bytes) {
  // A regular file's size is known, so a small one is read into a buffer of its size plus
  // one byte (to see whether it grew), not into a zeroed piece of kReadPieceBytes: the agent
  // reads checkpoints and probe output this way many times a second.
  bool regular = false;
  size_t expect = kReadPieceBytes;
  struct stat st {};
  if (::fstat(file.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    regular = true;
    expect = st.st_size > offset ? static_cast<size_t>(st.st_size - offset) + 1 : 1;
  }
  std::string out;
  while (out.size() < max_bytes) {
    size_t want = std::min({kReadPieceBytes, max_bytes - out.size(), expect});
    size_t had = out.size();
    out.resize(had + want);
    ssize_t n = ::pread(file.get(), out.data() + had, want, offset + static_cast<int64_t>(had));
    if (n < 0 && errno == EINTR) {
      out.resize(had);
      continue;
    }
    if (n < 0) return io_error(std::string("read: ") + std::strerror(errno));
    out.resize(had + static_cast<size_t>(n));
    if (n == 0 || (regular && static_cast<size_t>(n) < want)) break;  // the end of the file
    expect = kReadPieceBytes;
  }
  return out;
}

Result<std::string> read_beneath(const std::string& dir, std::string_view rel, size_t max_bytes) {
  BOREALIS_ASSIGN_OR_RETURN(Fd fd, open_beneath(dir, rel, OpenIntent::kReadFile));
  std::string what = display(dir, rel);
  auto too_big = [&] {
    return resource_exhausted(what + " is larger than " + std::to_string(max_bytes) + " bytes");
  };
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return open_error(what, errno);
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_big();
  auto text = read_at_most(fd, 0, max_bytes + 1);
  if (!text.ok()) return text.status().with_context(what);
  if (text->size() > max_bytes) return too_big();
  return text;
}

}  // namespace borealis

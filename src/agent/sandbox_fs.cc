#include "agent/sandbox_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "agent/file_util.h"
#include "common/strings.h"

namespace borealis::agent {

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
  if (!rel.empty() && rel[0] == '/')
    return permission_denied("path '" + std::string(rel) + "' is absolute; paths are relative " +
                             "to the sandbox");
  for (const auto& seg : split(rel, '/'))
    if (seg == "..")
      return permission_denied("path '" + std::string(rel) + "' contains '..'; paths must stay " +
                               "inside the sandbox");
  if (rel.find('\0') != std::string_view::npos)
    return permission_denied("path contains a NUL byte");
  return Status();
}

namespace {

Status open_error(std::string_view rel, int err) {
  std::string what = "'" + std::string(rel) + "'";
  switch (err) {
    case EXDEV:
      return permission_denied("path " + what + " leads outside the sandbox (through a symlink)");
    case ELOOP:
      return permission_denied("path " + what + " goes through a symlink loop or a magic link");
    case ENOENT:
    case ENOTDIR:
      return not_found("no such file or directory in the sandbox: " + what);
    case EACCES:
    case EPERM:
      return permission_denied("cannot read " + what + ": " + errno_text(err));
    default:
      return io_error("cannot open " + what + ": " + errno_text(err));
  }
}

// For kernels without openat2: resolve, then check the result is under the root.
Result<int> open_resolved(const std::string& root, std::string_view rel) {
  char real_root[PATH_MAX], real[PATH_MAX];
  if (!::realpath(root.c_str(), real_root)) return open_error(rel, errno);
  std::string full = root + "/" + std::string(rel);
  if (!::realpath(full.c_str(), real)) return open_error(rel, errno);
  std::string r = real_root, p = real;
  if (p != r && !starts_with(p, r + "/")) return open_error(rel, EXDEV);
  int fd = ::open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0) return open_error(rel, errno);
  return fd;
}

}  // namespace

Result<Fd> open_in_sandbox(const std::string& root, std::string_view rel) {
  BOREALIS_RETURN_IF_ERROR(check_relative_path(rel));
  std::string path = rel.empty() ? "." : std::string(rel);
  Fd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (dir.get() < 0) return not_found("sandbox " + root + " is gone");
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dir.get(), path.c_str(), &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
    // No openat2 (old kernel, or a seccomp filter that refuses it).
    BOREALIS_ASSIGN_OR_RETURN(int resolved, open_resolved(root, path));
    fd = resolved;
  } else if (fd < 0) {
    return open_error(rel, errno);
  }
  Fd out(static_cast<int>(fd));
  struct stat st {};
  if (::fstat(out.get(), &st) != 0) return open_error(rel, errno);
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
    return permission_denied("'" + std::string(rel) + "' is neither a file nor a directory");
  return out;
}

bool is_directory(const Fd& fd) {
  struct stat st {};
  return ::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::vector<DirEntry>> list_directory(const Fd& dir) {
  int fd = ::dup(dir.get());
  if (fd < 0) return io_error("dup: " + errno_text(errno));
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int err = errno;
    ::close(fd);
    return io_error("cannot list directory: " + errno_text(err));
  }
  ::rewinddir(d);
  std::vector<DirEntry> out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry;
    entry.name = name;
    struct stat st {};
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      entry.type = S_ISREG(st.st_mode)   ? "file"
                   : S_ISDIR(st.st_mode) ? "directory"
                   : S_ISLNK(st.st_mode) ? "symlink"
                                         : "other";
      entry.size = st.st_size;
      entry.mtime_ms = static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    } else {
      entry.type = "other";
    }
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

Result<FileChunk> read_chunk(const Fd& file, int64_t offset, int64_t length) {
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return io_error("fstat: " + errno_text(errno));
  FileChunk chunk;
  chunk.size = st.st_size;
  if (offset < 0) offset = std::max<int64_t>(0, chunk.size + offset);
  chunk.offset = offset;
  if (length <= 0 || offset >= chunk.size) return chunk;
  int64_t want = std::min(length, chunk.size - offset);
  chunk.data.resize(static_cast<size_t>(want));
  int64_t got = 0;
  while (got < want) {
    ssize_t n =
        ::pread(file.get(), chunk.data.data() + got, static_cast<size_t>(want - got), offset + got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read: " + errno_text(errno));
    if (n == 0) break;  // the file shrank
    got += n;
  }
  chunk.data.resize(static_cast<size_t>(got));
  return chunk;
}

}  // namespace borealis::agent
